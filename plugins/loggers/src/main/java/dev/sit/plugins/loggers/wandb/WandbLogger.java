package dev.sit.plugins.loggers.wandb;

import dev.sit.api.logging.LoggedImage;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Logs a run to Weights &amp; Biases over its HTTP protocol (GraphQL, file_stream, presigned
 * uploads) without slowing training: calls record the event in the spool and hand it to a
 * background {@link WandbSender}. The run id is {@code run_id}, {@code WANDB_RUN_ID}, or the
 * reference's hash of the experiment name; the experiment is sent as the run config; scalars
 * become history rows ({@code _step} = training step), images {@code image-file} values under
 * {@code media/images/}; finish sends the exit code. In {@code offline} mode everything goes to
 * the spool only, for {@code sit wandb-sync}; {@code disabled} does nothing.
 */
public final class WandbLogger implements MetricsLogger {

    private final WandbOptions options;
    private final Map<String, String> env;
    private final Pause pause;
    private final Clock clock;
    private final Consumer<String> log;
    private WandbSettings settings;
    private RunSpool spool;
    private WandbSender sender;
    private Path runDir;
    private boolean started;
    private boolean finished;

    public WandbLogger(WandbOptions options) {
        this(options, System.getenv(), Pause.REAL, Clock.systemUTC(), System.err::println);
    }

    /** For tests: the environment, the retry waits, the clock of timestamps and where messages go. */
    public WandbLogger(WandbOptions options, Map<String, String> env, Pause pause, Clock clock, Consumer<String> log) {
        this.options = options == null ? WandbOptions.defaults() : options;
        this.env = Map.copyOf(env);
        this.pause = pause;
        this.clock = clock;
        this.log = log;
    }

    /** See {@link WandbSettings#validate}: the problems that would make {@link #start} fail. */
    public static java.util.List<String> validate(WandbOptions options, Map<String, String> env) {
        return WandbSettings.validate(options == null ? WandbOptions.defaults() : options, env);
    }

    @Override
    public synchronized void start(RunContext run) throws IOException {
        if (started) {
            return;
        }
        settings = WandbSettings.resolve(options, env);
        started = true;
        runDir = run.runDir();
        if (settings.mode() == WandbMode.DISABLED) {
            return;
        }
        String runId = settings.runIdFor(run.experimentName());
        String displayName = settings.displayName() != null ? settings.displayName() : run.experimentName();
        Map<String, Object> config = run.config() == null ? Map.of() : run.config();
        @SuppressWarnings("unchecked")
        Map<String, Object> safeConfig = (Map<String, Object>) RunConfig.scrub(config, settings.apiKey());
        double startTime = now();
        SpoolHeader header = new SpoolHeader(1, run.experimentName(), runId, displayName, settings.entity(), settings.project(),
                settings.resume().word(), settings.baseUrl(), options.apiKeyEnv(), settings.tags(), settings.notes(),
                settings.group(), settings.jobType(), startTime, safeConfig);
        warnAboutUndeliveredSessions(runDir.resolve(settings.spoolDir()));
        spool = RunSpool.create(runDir.resolve(settings.spoolDir()), header, log);
        if (settings.mode() == WandbMode.OFFLINE) {
            log.accept("W&B: offline; the run is kept in " + spool.dir() + "; send it with: sit wandb-sync " + runDir);
            return;
        }
        WandbHttp http = new WandbHttp(settings, pause, Integer.MAX_VALUE);
        RunStream stream = new RunStream(http, settings, runId, displayName, safeConfig, startTime, log);
        sender = new WandbSender(stream, http, spool, settings.timing(), settings.queueSize(), log);
        sender.start();
        try {
            RunStart s = sender.started().get(settings.timing().initTimeout().toNanos(), TimeUnit.NANOSECONDS);
            log.accept("W&B: " + (s.resumed() ? "resuming" : "logging to") + " run " + s.url(settings.baseUrl()));
        } catch (TimeoutException e) {
            log.accept("W&B: no answer from " + settings.baseUrl() + " yet; training goes on, the data is kept in "
                    + spool.dir() + " and sent when the server answers (or later with: sit wandb-sync " + runDir + ")");
        } catch (ExecutionException e) {
            // the run cannot exist as configured: fail before training starts, and leave no spool to sync
            spool.close();
            deleteTree(spool.dir());
            sender = null;
            throw new IllegalStateException("wandb logger: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the W&B run", e);
        }
    }

    @Override
    public synchronized void logScalars(long step, Map<String, Double> scalars) {
        if (!active()) {
            return;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        scalars.forEach((k, v) -> {
            if (k != null && v != null) {
                values.put(k, v);
            }
        });
        record(new SpoolEvent.Row(step, now(), values));
    }

    @Override
    public synchronized void logImage(long step, LoggedImage image) {
        if (!active()) {
            return;
        }
        int[] size;
        try {
            size = PngFile.dimensions(image.png());
        } catch (IllegalArgumentException e) {
            log.accept("W&B: image " + image.key() + " at step " + step + " left out: " + e.getMessage());
            return;
        }
        String sha = PngFile.sha256(image.png());
        record(new SpoolEvent.Image(step, now(), image.key(), PngFile.mediaPath(image.key(), step, sha), sha, size[0], size[1],
                image.caption(), image.png()));
    }

    /** Goes to the run's console log ({@code output.log}, the Logs tab of the W&B app). */
    @Override
    public synchronized void logMessage(String message) {
        if (active() && message != null) {
            record(new SpoolEvent.Message(now(), message));
        }
    }

    /** Sends everything logged so far now (tests; before a long pause); false if not done in time. */
    public boolean flush(Duration timeout) throws InterruptedException {
        WandbSender s;
        synchronized (this) {
            s = sender;
        }
        return s != null && s.flush(timeout);
    }

    @Override
    public void finish(int exitCode) {
        WandbSender s;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            if (spool == null) {
                return;
            }
            spool.append(new SpoolEvent.Finish(exitCode));
            s = sender;
        }
        boolean delivered = false;
        String why = "offline";
        if (s != null) {
            try {
                delivered = s.finish(exitCode, settings.timing().finishTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            why = delivered ? "delivered" : String.valueOf(s.problem());
        }
        spool.writeStatus(delivered, why);
        spool.close();
        if (!delivered && s != null) {
            log.accept("W&B: not everything reached the server (" + why + "); it is kept in " + spool.dir()
                    + "; send it with: sit wandb-sync " + runDir);
        }
    }

    private boolean active() {
        return started && !finished && spool != null;
    }

    private void record(SpoolEvent event) {
        spool.append(event);
        if (sender != null) {
            sender.offer(event);
        }
    }

    private double now() {
        return clock.millis() / 1000.0;
    }

    /** Earlier sessions of this run folder that never reached the server should be synced first (steps only increase). */
    private void warnAboutUndeliveredSessions(Path root) {
        try {
            for (Path dir : RunSpool.sessions(root)) {
                if (Files.exists(dir.resolve(RunSpool.HEADER)) && !RunSpool.read(dir).delivered()) {
                    log.accept("W&B: " + dir + " was not delivered yet; send it first with: sit wandb-sync " + runDir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // only a hint; an unreadable old spool does not stop this run
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: an empty session folder is skipped by sync anyway
        }
    }

    @Override
    public String toString() {
        return "WandbLogger[" + (settings != null ? settings : "not started") + "]";
    }
}
