package dev.sit.core.plugin;

import java.nio.file.Path;
import java.util.Optional;

/** Where a plugin came from: the application class path, or a jar or folder in a plugin path. */
public record PluginOrigin(Optional<Path> location) {

    public static final PluginOrigin CLASS_PATH = new PluginOrigin(Optional.empty());

    public static PluginOrigin of(Path jarOrFolder) {
        return new PluginOrigin(Optional.of(jarOrFolder));
    }

    public boolean isClassPath() {
        return location.isEmpty();
    }

    @Override
    public String toString() {
        return location.map(Path::toString).orElse("class path");
    }
}
