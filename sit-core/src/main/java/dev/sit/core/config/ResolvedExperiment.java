package dev.sit.core.config;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginContext;
import dev.sit.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment: the bound records, the registry its plugins came from, every plugin
 * choice resolved by its dotted key ({@code transport.path}, {@code loggers.0}, ...), and the
 * environment that plugins are made in.
 */
public record ResolvedExperiment(Path file, Experiment experiment, PluginRegistry registry,
                                 Map<String, BoundPlugin<?>> plugins, List<String> warnings,
                                 Map<String, String> environment) {

    public ResolvedExperiment {
        environment = Map.copyOf(environment);
    }

    /** What plugins of this experiment are made with: its seed and environment (no run folder yet). */
    public PluginContext pluginContext() {
        return new PluginContext(experiment.seed(), null, environment);
    }

    /** A new plugin object for the choice at a dotted key, made in {@link #pluginContext()}. */
    public <T> T create(String key, ExtensionPoint<T> point) {
        return plugin(key, point).create(pluginContext());
    }

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
