package dev.sit.spark;

import dev.sit.core.engine.ClusterMassSampling;
import dev.sit.core.engine.MassSampling;
import java.nio.file.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.util.LongAccumulator;

/**
 * One Spark task: samples the images {@code [from, to)} of a partition ({@link MassSampling#sampleRange})
 * into its staging folder and moves them into the shared sample folder when all are written, so a
 * failed attempt leaves nothing in the folder (its retry deletes the staging folder first). Adds
 * the partition's size to {@code covered} and what it sampled to {@code sampled}: the driver's
 * progress bar.
 */
final class SampleRangeTask implements Function<long[], Long> {

    private static final long serialVersionUID = 1L;

    /**
     * Test hook: told (partition start, batch start, attempt) after each batch a task staged; what it
     * throws fails the attempt there, as a dying executor would. Null outside tests.
     */
    static volatile StagedBatchProbe probe;

    /** What {@link #probe} is told. */
    interface StagedBatchProbe {
        void staged(long partitionStart, long batchStart, int attempt);
    }

    private final ClusterMassSampling.Request request;
    private final LongAccumulator covered;
    private final LongAccumulator sampled;

    SampleRangeTask(ClusterMassSampling.Request request, LongAccumulator covered, LongAccumulator sampled) {
        this.request = request;
        this.covered = covered;
        this.sampled = sampled;
    }

    @Override
    public Long call(long[] range) throws Exception {
        MassSampling sampler = LoadedSamplers.borrow(request);
        try {
            Path staging = ClusterMassSampling.stagingFolder(Path.of(request.massDir()), range[0]);
            StagedBatchProbe hook = probe;
            int attempt = TaskContext.get() == null ? 0 : TaskContext.get().attemptNumber();
            long written = sampler.sampleRange(range[0], range[1], staging, first -> {
                if (hook != null) {
                    hook.staged(range[0], first, attempt);
                }
            }).written();
            covered.add(range[1] - range[0]);
            sampled.add(written);
            return written;
        } finally {
            LoadedSamplers.giveBack(request, sampler);
        }
    }
}
