package dev.sit.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the host tells a plugin when it makes or checks one: the run's seed, the run folder (null
 * while validating, before a run folder exists, and for commands without one) and the process
 * environment. Plugins read the environment from here rather than from {@code System.getenv()},
 * so that embedding programs and tests can give their own.
 *
 * @param seed        the experiment's seed
 * @param runFolder   the run folder, or null when there is none (yet)
 * @param environment environment variables (immutable)
 */
public record PluginContext(long seed, Path runFolder, Map<String, String> environment) {

    public PluginContext {
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** A context with seed 0, no run folder and the given environment (for validation and tests). */
    public static PluginContext of(Map<String, String> environment) {
        return new PluginContext(0, null, environment);
    }

    /** The same context for a run in {@code folder}. */
    public PluginContext inRunFolder(Path folder) {
        return new PluginContext(seed, folder, environment);
    }
}
