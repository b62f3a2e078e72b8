package dev.sit.cli;

import dev.sit.core.plugin.PluginPath;
import dev.sit.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --plugins DIR} option shared by every command that resolves plugins. */
public final class PluginOptions {

    @Option(names = "--plugins", paramLabel = "DIR|JAR",
            description = "extra plugin folder or jar (repeatable); also SIT_PLUGIN_PATH and the experiment's plugins:")
    List<Path> plugins = new ArrayList<>();

    public List<Path> commandLine() {
        return plugins;
    }

    public static String environment() {
        return System.getenv(PluginPath.ENVIRONMENT_VARIABLE);
    }

    /** The registry of the class path, --plugins and SIT_PLUGIN_PATH. */
    public PluginRegistry registry() {
        return PluginRegistry.discover(PluginPath.combine(plugins, environment(), List.of()));
    }
}
