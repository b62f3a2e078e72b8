package dev.sit.core.engine;

import dev.sit.core.model.SitModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code sample.replicas}: copies of the model that sample equal shards of each batch side by side,
 * one thread each, as {@code train.replicas} trains. A SameDiff graph runs on one thread at a time,
 * and ND4J runs parts of it (the attention's batched products) on one core, so two copies keep two
 * cores busy. Shard {@code r} of {@code k} holds the consecutive rows {@code [r n / k, (r + 1) n / k)}
 * and the shards' states are put back together in order. Every sample meets the same noise and the
 * same arithmetic as in one piece, so with a fixed-grid solver the samples are the same bytes.
 */
final class SamplingReplicas implements AutoCloseable {

    /** Samples rows {@code [from, to)} of the batch with {@code model}. */
    @FunctionalInterface
    interface Shard {
        SampleStage.SamplerRun sample(SitModel model, long from, long to) throws IOException;
    }

    /** Makes one more copy of the model. */
    @FunctionalInterface
    interface ModelCopy {
        SitModel make() throws IOException;
    }

    private final List<SitModel> models = new ArrayList<>();
    private final int replicas;
    private final ModelCopy copy;
    private ExecutorService threads;

    /** {@code first} is replica 0; the others are made by {@code copy} when first needed. */
    SamplingReplicas(SitModel first, int replicas, ModelCopy copy) {
        if (replicas < 1) {
            throw new IllegalArgumentException("sample.replicas must be at least 1, got " + replicas);
        }
        models.add(first);
        this.replicas = replicas;
        this.copy = copy;
    }

    /** How many shards a batch of {@code n} rows is cut into: {@code min(replicas, n)}. */
    int shardsOf(long n) {
        return (int) Math.min(replicas, n);
    }

    /** Samples a batch of {@code n} rows in {@link #shardsOf} shards; one shard runs on the calling thread. */
    SampleStage.SamplerRun sample(long n, Shard shard) throws IOException {
        int k = shardsOf(n);
        if (k <= 1) {
            return shard.sample(models.get(0), 0, n);
        }
        while (models.size() < k) {
            models.add(copy.make());
        }
        if (threads == null) {
            threads = Executors.newFixedThreadPool(replicas - 1, runnable -> {
                Thread t = new Thread(runnable, "sit-sampling-replica");
                t.setDaemon(true);
                return t;
            });
        }
        List<Future<SampleStage.SamplerRun>> others = new ArrayList<>();
        for (int r = 1; r < k; r++) {
            SitModel model = models.get(r);
            long from = r * n / k;
            long to = (r + 1) * n / k;
            others.add(threads.submit(() -> shard.sample(model, from, to)));
        }
        List<SampleStage.SamplerRun> runs = new ArrayList<>();
        runs.add(shard.sample(models.get(0), 0, n / k));
        for (Future<SampleStage.SamplerRun> f : others) {
            runs.add(result(f));
        }
        return joined(runs);
    }

    /** The shards' runs as one: state j is every shard's state j, rows in shard order; cost and stats of shard 0. */
    private static SampleStage.SamplerRun joined(List<SampleStage.SamplerRun> runs) {
        SampleStage.SamplerRun first = runs.get(0);
        List<INDArray> states = new ArrayList<>();
        for (int j = 0; j < first.states().size(); j++) {
            INDArray[] parts = new INDArray[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                parts[r] = runs.get(r).states().get(j);
            }
            states.add(Nd4j.concat(0, parts));
        }
        return new SampleStage.SamplerRun(states, first.stats(), first.cost());
    }

    private static SampleStage.SamplerRun result(Future<SampleStage.SamplerRun> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a sampling replica was working", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a sampling replica failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }
}
