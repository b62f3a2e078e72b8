package dev.sit.core.engine;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The training stage spread over the processes of a cluster ({@code sit run FILE --spark MASTER}):
 * one process per replica of {@code train.replicas}, started together, each running
 * {@link ReplicaTraining#run}, joined by the experiment's {@code train.communicator}. Replica 0's process is the only
 * writer of the run folder (checkpoints, sample grids, {@link TrainingEventLog}); the caller's
 * process follows that log and renders progress. Implementations are found with
 * {@link ServiceLoader} when their module is on the class path (the {@code sit-spark} module provides
 * the Spark one); the command line needs no compile-time dependency on them.
 */
public interface ClusterTraining {

    /**
     * One training job; paths are strings so that a request can travel to executors.
     *
     * @param experimentYaml the resolved experiment with {@code train.resume} set to the checkpoint to start
     *                       from (absolute) or removed; loaded again by every process
     * @param runFolder      the run folder (absolute), on a file system every process can read and replica 0's
     *                       process can write
     */
    record Request(String master, String experimentYaml, String runFolder, int replicas, List<String> plugins)
            implements java.io.Serializable {
    }

    /** A started job. */
    interface Job {
        boolean isDone();

        /** Waits for the end; throws what stopped the job, with the cluster's own reason in the message. */
        void await() throws Exception;
    }

    /** The word of the command line that selects it ({@code spark}). */
    String name();

    /** Starts {@code request.replicas()} processes together, one per replica, and returns at once. */
    Job start(Request request) throws Exception;

    /** The implementation named {@code name} on the class path, if any. */
    static Optional<ClusterTraining> find(String name) {
        for (ClusterTraining c : ServiceLoader.load(ClusterTraining.class)) {
            if (c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Where {@code sit run --spark} sends the training stage: the implementation and its master. */
    record Placement(ClusterTraining cluster, String master, List<String> plugins) {
    }
}
