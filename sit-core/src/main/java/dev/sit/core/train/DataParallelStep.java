package dev.sit.core.train;

import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.api.parallel.ReplicaLink;
import dev.sit.core.transport.TrainingSample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One data-parallel training step with DDP's semantics, replicas as threads of this JVM: the global
 * batch (its transport draws made once, per sample, as for a single replica) is split into
 * {@code N} equal shards of consecutive rows; replica {@code r} computes the gradients of shard
 * {@code r}'s mean loss ({@link GradientStep#gradients}), the communicator replaces them by their
 * mean over replicas, and every replica applies the same AdamW step. The reported loss is the mean
 * of the shard losses, i.e. the global batch's mean loss; it differs from one replica's only by
 * float summation order.
 */
public final class DataParallelStep implements AutoCloseable {

    private final List<GradientStep> replicas;
    private final List<ReplicaLink> links = new ArrayList<>();
    private final ExecutorService threads;
    private final int firstRank;
    private final int total;

    /** {@code replicas} hold identical weights (one model each); each joins {@code communicator}. */
    public DataParallelStep(List<GradientStep> replicas, GradientCommunicator communicator) {
        this(replicas, communicator, 0, replicas.size());
    }

    /**
     * The replicas of this process when the others run elsewhere (Spark barrier tasks): {@code replicas}
     * are ranks {@code firstRank, firstRank + 1, ...} of {@code total}. Each process draws the whole
     * global batch (the draws are seeded per sample) and trains its ranks' shards; the step's loss is
     * averaged through the communicator with the gradients, so every process reports the global mean.
     */
    public DataParallelStep(List<GradientStep> replicas, GradientCommunicator communicator, int firstRank, int total) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("data-parallel training needs at least one replica");
        }
        if (firstRank < 0 || firstRank + replicas.size() > total) {
            throw new IllegalArgumentException("ranks " + firstRank + ".." + (firstRank + replicas.size() - 1)
                    + " are not replicas of " + total);
        }
        this.replicas = List.copyOf(replicas);
        this.firstRank = firstRank;
        this.total = total;
        for (int r = 0; r < replicas.size(); r++) {
            links.add(communicator.join(firstRank + r, total));
        }
        this.threads = Executors.newFixedThreadPool(replicas.size(), runnable -> {
            Thread t = new Thread(runnable, "sit-replica");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether this process holds replica 0, the one whose model is checkpointed and averaged into the EMA. */
    public boolean holdsReplicaZero() {
        return firstRank == 0;
    }

    /** The replicas of this process (the first one's model is the one to checkpoint and to average into the EMA). */
    public List<GradientStep> replicas() {
        return replicas;
    }

    /** Trains every replica on its shard of the global batch; returns the global batch's mean loss. */
    public double step(TrainingSample sample, INDArray labels) {
        int n = total;
        boolean elsewhere = replicas.size() < total;
        long b = sample.batchSize();
        if (b % n != 0) {
            throw new IllegalArgumentException("train.global_batch_size " + b + " cannot be split into train.replicas "
                    + n + " equal shards; make the batch size a multiple of the number of replicas");
        }
        long shard = b / n;
        List<Future<Double>> losses = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            int local = r;
            long from = (firstRank + r) * shard;
            losses.add(threads.submit(() -> {
                try {
                    GradientStep replica = replicas.get(local);
                    GradientStep.ShardGradients g = replica.gradients(rows(sample, from, from + shard),
                            labels.get(NDArrayIndex.interval(from, from + shard)));
                    if (!elsewhere) {
                        links.get(local).allReduceMean(g.gradients());
                        replica.apply(g.gradients());
                        return g.loss();
                    }
                    // the other shards' losses live in other processes: their mean travels with the gradients
                    INDArray[] arrays = java.util.Arrays.copyOf(g.gradients(), g.gradients().length + 1);
                    arrays[arrays.length - 1] = Nd4j.scalar(DataType.FLOAT, g.loss()).reshape(1);
                    links.get(local).allReduceMean(arrays);
                    replica.apply(g.gradients());
                    return arrays[arrays.length - 1].getDouble(0) * n / replicas.size();
                } catch (RuntimeException e) {
                    links.get(local).close();
                    throw e;
                }
            }));
        }
        double sum = 0;
        for (Future<Double> loss : losses) {
            try {
                sum += loss.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the replicas trained", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        return sum / n;
    }

    /** Rows [from, to) of every per-sample array of the batch. */
    public static TrainingSample rows(TrainingSample s, long from, long to) {
        return new TrainingSample(slice(s.x1(), from, to), slice(s.x0(), from, to), slice(s.t(), from, to),
                slice(s.xt(), from, to), slice(s.target(), from, to), slice(s.outScale(), from, to),
                slice(s.weight(), from, to));
    }

    private static INDArray slice(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to)).dup('c');
    }

    @Override
    public void close() {
        links.forEach(ReplicaLink::close);
        threads.shutdownNow();
    }
}
