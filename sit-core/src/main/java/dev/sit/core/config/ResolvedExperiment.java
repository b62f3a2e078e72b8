package dev.sit.core.config;

import dev.sit.api.ExtensionPoint;
import dev.sit.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment: the bound records, the registry its plugins came from, and every plugin
 * choice resolved by its dotted key ({@code transport.path}, {@code loggers.0}, ...).
 */
public record ResolvedExperiment(Path file, Experiment experiment, PluginRegistry registry,
                                 Map<String, BoundPlugin<?>> plugins, List<String> warnings) {

    /** The resolved plugin at a dotted key, checked against the expected extension point. */
    @SuppressWarnings("unchecked")
    public <T> BoundPlugin<T> plugin(String key, ExtensionPoint<T> point) {
        BoundPlugin<?> bound = plugins.get(key);
        if (bound == null) {
            throw new IllegalArgumentException("the experiment has no plugin choice at " + key);
        }
        if (bound.point() != point) {
            throw new IllegalArgumentException(key + " is a " + bound.point().id() + ", not a " + point.id());
        }
        return (BoundPlugin<T>) bound;
    }

    /** The experiment file's folder: relative {@code plugins:} entries are resolved against it. */
    public Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }
}
