package dev.sit.plugins.loggers;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** Options of the {@code metrics-file} logger. */
public record MetricsFileOptions(
        @Doc("JSON-lines file of every logged step, relative to the run folder")
        String file,
        @Doc("PNG curve of plot_key over steps, relative to the run folder; empty for none")
        String plotFile,
        @Doc("the scalar drawn in the curve")
        String plotKey,
        @Doc("redraw the curve at most this often (seconds); it is always drawn at the end")
        @Range(min = 0)
        Double plotIntervalSeconds) {

    public MetricsFileOptions {
        file = file == null ? "metrics.jsonl" : file;
        plotFile = plotFile == null ? "loss.png" : plotFile;
        plotKey = plotKey == null ? "loss" : plotKey;
        plotIntervalSeconds = plotIntervalSeconds == null ? 60.0 : plotIntervalSeconds;
        if (file.isBlank()) {
            throw new IllegalArgumentException("file must name the metrics file, for example metrics.jsonl");
        }
    }

    public static MetricsFileOptions defaults() {
        return new MetricsFileOptions(null, null, null, null);
    }
}
