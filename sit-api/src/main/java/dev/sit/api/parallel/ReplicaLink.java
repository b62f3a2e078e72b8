package dev.sit.api.parallel;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One replica's connection to its group (see {@link GradientCommunicator}). */
public interface ReplicaLink extends AutoCloseable {

    /** This replica's rank, 0 to {@code replicas() - 1}. */
    int rank();

    /** The number of replicas in the group. */
    int replicas();

    /**
     * Replaces every array, in place, by the mean over all replicas of the array at the same position:
     * {@code a_i <- (1 / N) sum_r a_i^(r)}. Every replica passes arrays of the same shapes in the same
     * order and receives bit-identical results. Blocks until every replica has contributed.
     *
     * @throws IllegalStateException when a replica failed or left the group (the message says which)
     */
    void allReduceMean(INDArray[] arrays);

    /** Leaves the group; a replica that fails closes its link so that the others stop waiting. */
    @Override
    void close();
}
