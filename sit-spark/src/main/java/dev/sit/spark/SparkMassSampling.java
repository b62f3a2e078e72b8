package dev.sit.spark;

import dev.sit.core.engine.ClusterMassSampling;
import dev.sit.core.engine.MassSampling;
import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Mass sampling as a Spark job ({@code sit sample ... --num-fid-samples N --spark MASTER}). The
 * driver (this process) checks the sample folder's settings, cuts the missing part of the index
 * range into partitions of whole batches (about four per core, for balance and progress), runs one
 * {@link SampleRangeTask} per partition, draws one progress bar for the whole job from Spark
 * accumulators (images/s across executors), deletes what failed attempts staged, and writes the
 * {@code .npz}. The sample folder must be on a file system every executor can write.
 */
public final class SparkMassSampling implements ClusterMassSampling {

    /** Partitions per core: enough for the slowest core not to hold up the end, few enough to keep task overhead small. */
    private static final int PARTITIONS_PER_CORE = 4;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Path run(Request request, RunListener listener) throws Exception {
        Path dir = Path.of(request.massDir());
        // the driver loads the weights too: the settings check needs them, and in local mode the
        // first task reuses this instance
        MassSampling mass = LoadedSamplers.borrow(request);
        long done = mass.prepare();
        LoadedSamplers.giveBack(request, mass);
        int b = mass.batchSize();
        long total = mass.total();
        long start = Math.min(done, total) / b * b;
        SparkConf conf = new SparkConf().setMaster(request.master()).setAppName("sit sample (mass sampling)")
                .set("spark.ui.enabled", "false");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        try {
            int cores = sc.defaultParallelism();
            List<long[]> ranges = partitions(start, total, b, cores * PARTITIONS_PER_CORE);
            listener.info(String.format(Locale.ROOT, "mass sampling on Spark (%s, %d cores): %d images in %d partitions "
                    + "of whole batches of %d into %s", request.master(), cores, total - start, ranges.size(), b, dir));
            listener.stageStarted(Stage.SAMPLE, "mass sampling on Spark into " + dir, total, start);
            if (!ranges.isEmpty()) {
                runJob(sc, request, ranges, start, listener);
            }
        } finally {
            discardStaging(dir);
            sc.stop();
        }
        Path npz = mass.assemble(listener);
        listener.stageFinished(Stage.SAMPLE, total + " samples in " + dir);
        return npz;
    }

    private static void runJob(JavaSparkContext sc, Request request, List<long[]> ranges, long start, RunListener listener)
            throws Exception {
        LongAccumulator covered = sc.sc().longAccumulator("sit: images covered");
        LongAccumulator sampled = sc.sc().longAccumulator("sit: images sampled");
        long began = System.nanoTime();
        JavaFutureAction<List<Long>> job = sc.parallelize(ranges, ranges.size())
                .map(new SampleRangeTask(request, covered, sampled)).collectAsync();
        long shown = -1;
        while (!job.isDone()) {
            Thread.sleep(250);
            if (covered.value() != shown) {
                shown = covered.value();
                report(listener, start + shown, sampled.value(), began);
            }
        }
        try {
            job.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Spark job failed after Spark's retries (" + rootMessage(e)
                    + "); the finished partitions are kept: run the same command again to resume", e);
        }
        if (covered.value() != shown) {
            report(listener, start + covered.value(), sampled.value(), began);
        }
    }

    private static void report(RunListener listener, long done, long sampled, long began) {
        double seconds = (System.nanoTime() - began) / 1e9;
        listener.progress(Stage.SAMPLE, done, String.format(Locale.ROOT, "%.2f images/s across executors",
                seconds > 0 ? sampled / seconds : 0.0));
    }

    /** Whole batches from {@code start} (a multiple of b) to {@code total}, in about {@code wanted} partitions. */
    static List<long[]> partitions(long start, long total, int b, int wanted) {
        long batches = (total - start + b - 1) / b;
        long perPartition = Math.max(1, (batches + wanted - 1) / wanted);
        List<long[]> out = new ArrayList<>();
        for (long from = start; from < total; from += perPartition * b) {
            out.add(new long[] {from, Math.min(total, from + perPartition * b)});
        }
        return out;
    }

    /** Deletes the staging folders of failed (or killed) attempts; finished partitions moved theirs out. */
    static void discardStaging(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path staging : entries.filter(p -> p.getFileName().toString().startsWith(".partition-")).toList()) {
                try (Stream<Path> walk = Files.walk(staging)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
