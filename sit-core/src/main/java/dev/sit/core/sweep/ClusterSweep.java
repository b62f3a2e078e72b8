package dev.sit.core.sweep;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A sweep's variants spread over the processes of a cluster ({@code sit sweep FILE --spark MASTER}):
 * each pending variant is one independent task that runs {@link Sweep#runVariant} (the whole run
 * through {@code SitEngine}, into its own run folder, leaving its summary in the sweep folder);
 * the caller's process then writes the reports. Implementations are found with
 * {@link ServiceLoader} (the {@code sit-spark} module provides the Spark one).
 */
public interface ClusterSweep {

    /**
     * The variants to run, by index in the sweep file; paths are absolute strings, on a file system
     * every process can read (the sweep folder: every process writes it).
     */
    record Request(String master, String sweepFile, List<Integer> variants, List<String> plugins)
            implements java.io.Serializable {
    }

    /** The word of the command line that selects it ({@code spark}). */
    String name();

    /**
     * Runs the variants, at most one per task slot at a time, and returns when all have finished;
     * throws what stopped one of them (after the cluster's retries) once the others have ended.
     *
     * @param finished told the label of each variant when its task ends, on the calling thread
     */
    void run(Request request, java.util.function.Consumer<String> finished) throws Exception;

    /** The implementation named {@code name} on the class path, if any. */
    static Optional<ClusterSweep> find(String name) {
        for (ClusterSweep c : ServiceLoader.load(ClusterSweep.class)) {
            if (c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
