package dev.sit.api.parallel;

/**
 * How the replicas of data-parallel training exchange gradients (DDP's all-reduce). Training with
 * {@code train.replicas: N} splits each global batch of {@code B} images into {@code N} shards of
 * {@code B / N}; replica {@code r} computes the gradients {@code g_r} of its shard's mean loss, and
 * the communicator gives every replica the mean
 *
 * <pre>  g = (1 / N) * sum_{r = 0}^{N - 1} g_r</pre>
 *
 * which, with equal shards, is the gradient of the global batch's mean loss. Every replica then
 * applies the same AdamW step to the same {@code g}, so the replicas stay identical; for that the
 * mean must be bit-for-bit the same on every replica (sum in a fixed order, e.g. by rank).
 *
 * <p>One communicator serves one training run; each replica calls {@link #join} once, from the
 * thread or task that runs it, and then calls {@link ReplicaLink#allReduceMean} once per step.
 * Bundled: {@code in-process} (replicas as threads of one JVM sharing memory) and, in
 * {@code sit-spark}, {@code spark} (replicas as Spark barrier tasks).
 */
public interface GradientCommunicator {

    /**
     * The link of replica {@code rank} (0 to {@code replicas - 1}) of a group of {@code replicas};
     * returns when the link is usable (implementations may wait for all replicas to join).
     */
    ReplicaLink join(int rank, int replicas);
}
