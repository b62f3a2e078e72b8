package dev.sit.plugins.loggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sit.api.logging.LoggedImage;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one JSON object per logged step to {@code metrics.jsonl} ({@code step}, {@code wall_time}
 * in Unix seconds, then every scalar; non-finite values as the bare tokens {@code NaN} and
 * {@code Infinity}, as Python's json module reads them), flushed line by line so that a crash
 * loses at most the line being written, and appended on resume. It also redraws a PNG curve of
 * one scalar ({@code loss.png}) now and then and at the end.
 */
public final class MetricsFileLogger implements MetricsLogger {

    private static final JsonMapper JSON = ExtendedJson.MAPPER;

    private final MetricsFileOptions options;
    private final Clock clock;
    private final List<CurvePoint> curve = new ArrayList<>();
    private OutputStream out;
    private Path file;
    private Path plotFile;
    private long lastPlotMillis;
    private boolean plotDirty;
    private boolean plotFailed;
    private boolean started;
    private boolean finished;

    public MetricsFileLogger(MetricsFileOptions options) {
        this(options, Clock.systemUTC());
    }

    /** For tests: the clock of wall times and plot intervals. */
    public MetricsFileLogger(MetricsFileOptions options, Clock clock) {
        this.options = options == null ? MetricsFileOptions.defaults() : options;
        this.clock = clock;
    }

    @Override
    public synchronized void start(RunContext run) throws IOException {
        if (started) {
            return;
        }
        started = true;
        file = run.runDir().resolve(options.file());
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        plotFile = options.plotFile().isEmpty() ? null : run.runDir().resolve(options.plotFile());
        if (Files.isRegularFile(file)) {
            dropPartialLastLine(file);
            readCurve(file, run);
        }
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        lastPlotMillis = clock.millis();
    }

    @Override
    public synchronized void logScalars(long step, Map<String, Double> scalars) {
        if (!started || finished) {
            return;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("wall_time", clock.millis() / 1000.0);
        row.putAll(scalars);
        Double plotted = scalars.get(options.plotKey());
        if (plotted != null) {
            curve.add(new CurvePoint(step, plotted));
            plotDirty = true;
        }
        if (out != null) {
            try {
                out.write((JSON.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                System.err.println("metrics-file logger: cannot write " + file + " (" + e.getMessage() + "); continuing without it");
                closeQuietly();
            }
        }
        if (plotDirty && clock.millis() - lastPlotMillis >= options.plotIntervalSeconds() * 1000) {
            drawPlot();
        }
    }

    @Override
    public void logImage(long step, LoggedImage image) {
        // images are saved by the run itself (samples/); this file holds scalars only
    }

    @Override
    public synchronized void finish(int exitCode) {
        if (finished) {
            return;
        }
        finished = true;
        if (started) {
            if (plotDirty) {
                drawPlot();
            }
            closeQuietly();
        }
    }

    /** The points of the curve so far (for tests and the end-of-run summary). */
    public synchronized List<CurvePoint> curve() {
        return List.copyOf(curve);
    }

    private void drawPlot() {
        lastPlotMillis = clock.millis();
        plotDirty = false;
        if (plotFile == null) {
            return;
        }
        try {
            byte[] png = new LineChartPng(800, 500).render(options.plotKey(), "step", curve);
            if (Files.exists(plotFile) && !Files.isRegularFile(plotFile)) {
                // never replace a device or folder by renaming over it; just write to it
                Files.write(plotFile, png);
                return;
            }
            // a reader never sees half a PNG: write aside, then rename over the old one
            Path tmp = plotFile.resolveSibling(plotFile.getFileName() + ".tmp");
            Files.write(tmp, png);
            Files.move(tmp, plotFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (!plotFailed) {
                plotFailed = true;
                System.err.println("metrics-file logger: cannot draw " + plotFile + " (" + e.getMessage() + "); will keep trying quietly");
            }
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file is already failing; nothing more to do
            }
            out = null;
        }
    }

    /** A crash while writing can leave half a line; cut it so appended lines stay valid JSON. */
    private static void dropPartialLastLine(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            long keep = length;
            while (keep > 0) {
                raf.seek(keep - 1);
                if (raf.read() == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < length) {
                raf.setLength(keep);
            }
        }
    }

    /** The earlier curve of a resumed run, up to the step it resumes from. */
    private void readCurve(Path file, RunContext run) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                JsonNode row = JSON.readTree(line);
                JsonNode value = row.get(options.plotKey());
                long step = row.path("step").asLong();
                if (value != null && value.isNumber() && !(run.resumed() && step >= run.startStep())) {
                    curve.add(new CurvePoint(step, value.asDouble()));
                }
            } catch (IOException e) {
                // an unreadable old line does not stop the run
            }
        }
        plotDirty = !curve.isEmpty();
    }
}
