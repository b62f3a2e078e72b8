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
import org.nd4j.linalg.api.ndarray.INDArray;
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

    /** {@code replicas} hold identical weights (one model each); each joins {@code communicator}. */
    public DataParallelStep(List<GradientStep> replicas, GradientCommunicator communicator) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("data-parallel training needs at least one replica");
        }
        this.replicas = List.copyOf(replicas);
        for (int r = 0; r < replicas.size(); r++) {
            links.add(communicator.join(r, replicas.size()));
        }
        this.threads = Executors.newFixedThreadPool(replicas.size(), runnable -> {
            Thread t = new Thread(runnable, "sit-replica");
            t.setDaemon(true);
            return t;
        });
    }

    /** The replicas (replica 0's model is the one to checkpoint and to average into the EMA). */
    public List<GradientStep> replicas() {
        return replicas;
    }

    /** Trains every replica on its shard of the global batch; returns the global batch's mean loss. */
    public double step(TrainingSample sample, INDArray labels) {
        int n = replicas.size();
        long b = sample.batchSize();
        if (b % n != 0) {
            throw new IllegalArgumentException("train.global_batch_size " + b + " cannot be split into train.replicas "
                    + n + " equal shards; make the batch size a multiple of the number of replicas");
        }
        long shard = b / n;
        List<Future<Double>> losses = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int rank = r;
            long from = r * shard;
            losses.add(threads.submit(() -> {
                try {
                    GradientStep replica = replicas.get(rank);
                    GradientStep.ShardGradients g = replica.gradients(rows(sample, from, from + shard),
                            labels.get(NDArrayIndex.interval(from, from + shard)));
                    links.get(rank).allReduceMean(g.gradients());
                    replica.apply(g.gradients());
                    return g.loss();
                } catch (RuntimeException e) {
                    links.get(rank).close();
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
