package dev.sit.spark;

import dev.sit.core.engine.RunListener;
import dev.sit.core.sweep.ClusterSweep;
import dev.sit.core.sweep.Sweep;
import java.nio.file.Path;
import org.apache.spark.api.java.function.Function;

/** One Spark task of {@link SparkSweep}: loads the sweep file again and runs one variant; returns its label. */
final class SweepVariantTask implements Function<Integer, String> {

    private static final long serialVersionUID = 1L;

    private final ClusterSweep.Request request;

    SweepVariantTask(ClusterSweep.Request request) {
        this.request = request;
    }

    @Override
    public String call(Integer index) throws Exception {
        Sweep sweep = Sweep.of(Path.of(request.sweepFile()), request.plugins().stream().map(Path::of).toList());
        // the run's own loggers (its run folder's metrics and log) record it; executors have no console to draw on
        return sweep.runVariant(index, RunListener.NONE).label();
    }
}
