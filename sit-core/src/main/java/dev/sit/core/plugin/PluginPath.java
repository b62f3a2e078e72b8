package dev.sit.core.plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The plugin path: {@code --plugins} folders, then {@code SIT_PLUGIN_PATH}, then the experiment's {@code plugins:}. */
public final class PluginPath {

    /** The environment variable holding extra plugin folders or jars, separated like PATH. */
    public static final String ENVIRONMENT_VARIABLE = "SIT_PLUGIN_PATH";

    private PluginPath() {
    }

    public static List<Path> combine(List<Path> commandLine, String environmentValue, List<Path> experiment) {
        LinkedHashSet<Path> all = new LinkedHashSet<>();
        commandLine.forEach(p -> all.add(p.toAbsolutePath().normalize()));
        if (environmentValue != null && !environmentValue.isBlank()) {
            for (String part : environmentValue.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    all.add(Path.of(part.trim()).toAbsolutePath().normalize());
                }
            }
        }
        experiment.forEach(p -> all.add(p.toAbsolutePath().normalize()));
        return new ArrayList<>(all);
    }
}
