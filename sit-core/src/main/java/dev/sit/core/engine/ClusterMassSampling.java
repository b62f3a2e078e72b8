package dev.sit.core.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Mass sampling spread over the processes of a cluster: the index range is cut into partitions of
 * whole batches, each process loads the weights once and writes its images into the shared sample
 * folder, and the caller's process assembles the {@code .npz}. Because every draw is keyed by the
 * sample's global index ({@link MassSampling}), the archive is byte-identical to a single-process
 * run's. Implementations are found with {@link ServiceLoader} when their module is on the class
 * path (the {@code sit-spark} module provides the Spark one); the command line needs no compile-time
 * dependency on them.
 */
public interface ClusterMassSampling {

    /** One sharded sampling job; paths are strings so that a request can travel to executors. */
    record Request(String master, String experimentYaml, int samplerIndex, String massDir, List<String> plugins)
            implements java.io.Serializable {
    }

    /** The word of the command line that selects it ({@code spark}). */
    String name();

    /**
     * Runs the job and returns the {@code .npz}; reports one progress bar for the whole job through
     * the listener. {@code experimentYaml} is the resolved experiment ({@code sit run --dry-run}'s
     * text), loaded again by every process; every path in it must be readable by every process.
     */
    Path run(Request request, RunListener listener) throws Exception;

    /** The implementation named {@code name} on the class path, if any. */
    static Optional<ClusterMassSampling> find(String name) {
        for (ClusterMassSampling c : ServiceLoader.load(ClusterMassSampling.class)) {
            if (c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Where the partitions of a sample folder stage their files until they are complete. */
    static Path stagingFolder(Path massDir, long from) {
        return massDir.resolve(String.format(java.util.Locale.ROOT, ".partition-%09d", from));
    }
}
