package dev.sit.spark;

import dev.sit.core.data.LatentShardWriter;
import dev.sit.core.progress.ProgressBar;
import dev.sit.core.vae.ClusterLatentExtraction;
import dev.sit.core.vae.LatentExtraction;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Latent extraction as a Spark job ({@code sit extract-latents ... --spark MASTER}). The driver (this process) opens
 * the output folder as the local command does (same settings check, resumed after its complete shards), cuts the
 * missing images into partitions of whole shards (about four per core), runs one {@link ExtractShardsTask} per
 * partition, draws one progress bar from a Spark accumulator (images/s across executors), deletes what failed attempts
 * staged, and finishes with the local extraction, which finds every shard in place and writes the manifest: the folder
 * is byte-identical to a single-process extraction's.
 */
public final class SparkLatentExtraction implements ClusterLatentExtraction {

    private static final int PARTITIONS_PER_CORE = 4;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public LatentExtraction.Result run(Request request, PrintStream progress) throws Exception {
        Path out = Path.of(request.out());
        LatentExtraction.Settings s = request.settings();
        long started = System.nanoTime();
        VaeEncoder encoder = VaeEncoder.LOADED.borrow(request);
        long total = encoder.images().size();
        // the same checks and settings file as the local command; not closed: that would write the manifest
        LatentShardWriter writer = LatentExtraction.open(encoder.images(), encoder.vae(), out, s);
        long resumed = writer.count() / s.latentsPerImage();
        VaeEncoder.LOADED.giveBack(request, encoder);
        SparkConf conf = new SparkConf().setMaster(request.master()).setAppName("sit extract-latents")
                .set("spark.ui.enabled", "false");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        try {
            int cores = sc.defaultParallelism();
            List<long[]> ranges = partitions(resumed, total, s.imagesPerShard(), cores * PARTITIONS_PER_CORE);
            progress.printf(Locale.ROOT, "extracting latents on Spark (%s, %d cores): %d of %d images in %d partitions of"
                    + " whole shards (%d images each) into %s%n", request.master(), cores, total - resumed, total,
                    ranges.size(), s.imagesPerShard(), out);
            if (resumed > 0) {
                progress.printf("%s: resuming after %d of %d images%n", out, resumed, total);
            }
            if (!ranges.isEmpty()) {
                runJob(sc, request, ranges, resumed, total, progress);
            }
        } finally {
            SparkMassSampling.discardStaging(out);
            sc.stop();
        }
        encoder = VaeEncoder.LOADED.borrow(request);
        try {
            // every shard is in place: this encodes nothing, adopts them all and writes the manifest
            LatentExtraction.Result last = LatentExtraction.run(encoder.images(), encoder.vae(), out, s,
                    new PrintStream(PrintStream.nullOutputStream()));
            return new LatentExtraction.Result(total - resumed, resumed, last.latents(),
                    (System.nanoTime() - started) / 1e9);
        } finally {
            VaeEncoder.LOADED.giveBack(request, encoder);
            for (VaeEncoder idle : VaeEncoder.LOADED.release(request)) {
                idle.images().close();
            }
        }
    }

    private static void runJob(JavaSparkContext sc, Request request, List<long[]> ranges, long resumed, long total,
            PrintStream progress) throws Exception {
        LongAccumulator encoded = sc.sc().longAccumulator("sit: images encoded");
        long began = System.nanoTime();
        JavaFutureAction<List<Long>> job = sc.parallelize(ranges, ranges.size())
                .map(new ExtractShardsTask(request, encoded)).collectAsync();
        try (ProgressBar bar = new ProgressBar("extract", total, resumed, progress)) {
            long shown = -1;
            while (!job.isDone()) {
                Thread.sleep(250);
                long n = encoded.value();
                if (n != shown) {
                    shown = n;
                    bar.update(resumed + n, String.format(Locale.ROOT, "%.2f images/s across executors",
                            n / Math.max(1e-9, (System.nanoTime() - began) / 1e9)));
                }
            }
            try {
                job.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the Spark job failed after Spark's retries ("
                        + SparkMassSampling.rootMessage(e) + "); the finished shards are kept: run the same command"
                        + " again to resume", e);
            }
            long n = encoded.value();
            if (n != shown) {
                bar.update(resumed + n, String.format(Locale.ROOT, "%.2f images/s across executors",
                        n / Math.max(1e-9, (System.nanoTime() - began) / 1e9)));
            }
        }
    }

    /**
     * Image ranges of whole shards ({@code perShard} images each, the last one possibly cut by {@code total}) from
     * {@code start} (a shard boundary) to {@code total}, in about {@code wanted} partitions.
     */
    static List<long[]> partitions(long start, long total, int perShard, int wanted) {
        long shards = (total - start + perShard - 1) / perShard;
        long perPartition = Math.max(1, (shards + wanted - 1) / wanted);
        List<long[]> out = new ArrayList<>();
        for (long from = start; from < total; from += perPartition * perShard) {
            out.add(new long[] {from, Math.min(total, from + perPartition * perShard)});
        }
        return out;
    }
}
