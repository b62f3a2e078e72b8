package dev.sit.plugins.loggers;

import dev.sit.api.logging.LoggedImage;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints progress as the reference does, {@code (step=0000100) Train Loss: 0.1234, Train
 * Steps/Sec: 1.23}, followed by images per second and any other scalar, to standard output and
 * to {@code log.txt} in the run folder (appended, so a resumed run continues the same file).
 */
public final class ConsoleLogger implements MetricsLogger {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    /** Scalars with the reference's labels and precision, in the order they are printed. */
    private static final Map<String, String[]> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("loss", new String[] {"Train Loss", "%.4f"});
        KNOWN.put("steps_per_sec", new String[] {"Train Steps/Sec", "%.2f"});
        KNOWN.put("images_per_sec", new String[] {"Train Images/Sec", "%.2f"});
    }

    private final ConsoleLoggerOptions options;
    private final PrintStream out;
    private final Clock clock;
    private OutputStream file;
    private Path filePath;
    private boolean started;
    private boolean finished;

    public ConsoleLogger(ConsoleLoggerOptions options) {
        this(options, System.out, Clock.systemDefaultZone());
    }

    /** For tests: where standard output goes, and the clock of the timestamps. */
    public ConsoleLogger(ConsoleLoggerOptions options, PrintStream out, Clock clock) {
        this.options = options == null ? ConsoleLoggerOptions.defaults() : options;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public synchronized void start(RunContext run) throws IOException {
        if (started) {
            return;
        }
        started = true;
        if (!options.file().isEmpty()) {
            filePath = run.runDir().resolve(options.file());
            if (filePath.getParent() != null) {
                Files.createDirectories(filePath.getParent());
            }
            file = Files.newOutputStream(filePath, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        write(run.resumed()
                ? "Resuming " + run.experimentName() + " at step " + run.startStep() + " in " + run.runDir()
                : "Experiment directory created at " + run.runDir());
    }

    @Override
    public synchronized void logScalars(long step, Map<String, Double> scalars) {
        if (started && !finished) {
            write(formatScalars(step, scalars));
        }
    }

    @Override
    public synchronized void logImage(long step, LoggedImage image) {
        if (started && !finished) {
            write(String.format(Locale.ROOT, "(step=%07d) Image %s: %dx%d PNG, %d bytes",
                    step, image.key(), image.width(), image.height(), image.png().length));
        }
    }

    @Override
    public synchronized void logMessage(String message) {
        if (started && !finished) {
            write(message);
        }
    }

    @Override
    public synchronized void finish(int exitCode) {
        if (!started || finished) {
            finished = true;
            return;
        }
        write(exitCode == 0 ? "Done!" : "Run ended with exit code " + exitCode);
        finished = true;
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                warn(e);
            }
            file = null;
        }
    }

    /**
     * The reference's progress line: {@code (step=0000100) Train Loss: 0.1234, Train Steps/Sec: 1.23},
     * then {@code Train Images/Sec} and the other scalars under their own names.
     */
    public static String formatScalars(long step, Map<String, Double> scalars) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "(step=%07d)", step));
        String separator = " ";
        for (Map.Entry<String, String[]> known : KNOWN.entrySet()) {
            Double value = scalars.get(known.getKey());
            if (value != null) {
                line.append(separator).append(known.getValue()[0]).append(": ")
                        .append(String.format(Locale.ROOT, known.getValue()[1], value));
                separator = ", ";
            }
        }
        for (Map.Entry<String, Double> e : scalars.entrySet()) {
            if (!KNOWN.containsKey(e.getKey())) {
                line.append(separator).append(e.getKey()).append(": ").append(formatOther(e.getValue()));
                separator = ", ";
            }
        }
        return line.toString();
    }

    private static String formatOther(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue()); // counters such as epoch
        }
        double a = Math.abs(v);
        return a == 0 || (a >= 1e-3 && a < 1e6) ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
    }

    private void write(String message) {
        String line = options.timestamps() ? "[" + LocalDateTime.now(clock).format(TIME) + "] " + message : message;
        if (options.stdout()) {
            out.println(line);
            out.flush();
        }
        if (file != null) {
            try {
                file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                file.flush();
            } catch (IOException e) {
                // keep training: report once and stop writing the file
                warn(e);
                try {
                    file.close();
                } catch (IOException ignored) {
                    // already failing
                }
                file = null;
            }
        }
    }

    private void warn(IOException e) {
        System.err.println("console logger: cannot write " + filePath + " (" + e.getMessage() + "); continuing without it");
    }
}
