package dev.sit.spark;

import dev.sit.core.sweep.ClusterSweep;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A sweep's pending variants as one Spark job ({@code sit sweep FILE --spark MASTER}): one ordinary
 * (not barrier) task per variant, so variants run side by side on the cores Spark offers and a failed
 * one is retried alone (it resumes from its own latest checkpoint). Each task runs
 * {@link SweepVariantTask}; the driver writes the reports from the summaries the tasks left.
 */
public final class SparkSweep implements ClusterSweep {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public void run(Request request, Consumer<String> finished) throws Exception {
        SparkConf conf = new SparkConf().setMaster(request.master()).setAppName("sit sweep").set("spark.ui.enabled", "false");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        try {
            JavaFutureAction<List<String>> job = sc.parallelize(request.variants(), request.variants().size())
                    .map(new SweepVariantTask(request)).collectAsync();
            try {
                job.get().forEach(finished);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the Spark job of the sweep failed after Spark's retries ("
                        + firstLine(e) + "); finished variants are kept: run the same command again to run the rest", e);
            }
        } finally {
            sc.stop();
        }
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
