package dev.sit.spark;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.eval.ClusterFeatureExtraction;
import dev.sit.core.eval.ImageSource;
import dev.sit.core.progress.ProgressBar;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Feature extraction as a Spark job ({@code sit eval features ... --spark MASTER}): the driver cuts the images into
 * partitions of whole batches (about four per core), runs one {@link FeatureRowsTask} per partition, draws one
 * progress bar from a Spark accumulator (images/s across executors) and concatenates the returned rows in index
 * order: the matrices of a single-process {@link dev.sit.core.eval.FeatureExtraction#run}, bit for bit.
 */
public final class SparkFeatureExtraction implements ClusterFeatureExtraction {

    private static final int PARTITIONS_PER_CORE = 4;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Map<String, INDArray> run(Request request, FeatureExtractor made, PrintStream progress) throws Exception {
        long total;
        try (ImageSource images = ImageSource.open(Path.of(request.images()))) {
            total = images.count();
        }
        SparkConf conf = new SparkConf().setMaster(request.master()).setAppName("sit eval features")
                .set("spark.ui.enabled", "false");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        FeatureRowsTask.EXTRACTORS.giveBack(request.extractor(), made); // local mode: the first task takes it
        List<FeatureRows> parts;
        try {
            int cores = sc.defaultParallelism();
            List<long[]> ranges = SparkMassSampling.partitions(0, total, request.batch(), cores * PARTITIONS_PER_CORE);
            progress.printf(Locale.ROOT, "feature extraction on Spark (%s, %d cores): %d images in %d partitions of whole"
                    + " batches of %d%n", request.master(), cores, total, ranges.size(), request.batch());
            parts = new ArrayList<>(runJob(sc, request, ranges, total, progress));
        } finally {
            sc.stop();
            for (FeatureExtractor idle : FeatureRowsTask.EXTRACTORS.release(request.extractor())) {
                if (idle != made) {
                    idle.close();
                }
            }
        }
        parts.sort(Comparator.comparingLong(FeatureRows::from));
        Map<String, INDArray> layers = new LinkedHashMap<>();
        for (String layer : parts.get(0).values().keySet()) {
            INDArray[] rows = parts.stream().map(p -> p.layer(layer)).toArray(INDArray[]::new);
            layers.put(layer, rows.length == 1 ? rows[0] : Nd4j.concat(0, rows));
        }
        return layers;
    }

    private static List<FeatureRows> runJob(JavaSparkContext sc, Request request, List<long[]> ranges, long total,
            PrintStream progress) throws Exception {
        LongAccumulator done = sc.sc().longAccumulator("sit: images with features");
        long began = System.nanoTime();
        JavaFutureAction<List<FeatureRows>> job = sc.parallelize(ranges, ranges.size())
                .map(new FeatureRowsTask(request, done)).collectAsync();
        try (ProgressBar bar = new ProgressBar("features", total, 0, progress)) {
            long shown = -1;
            while (true) {
                boolean finished = job.isDone();
                long n = done.value();
                if (n != shown) {
                    shown = n;
                    bar.update(n, String.format(Locale.ROOT, "%.1f img/s across executors",
                            n / Math.max(1e-9, (System.nanoTime() - began) / 1e9)));
                }
                if (finished) {
                    break;
                }
                Thread.sleep(250);
            }
            try {
                return job.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the Spark job failed after Spark's retries ("
                        + SparkMassSampling.rootMessage(e) + ")", e);
            }
        }
    }
}
