package dev.sit.plugins.loggers.wandb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code sit wandb-sync RUN_DIR}: sends the spooled sessions of a run folder that did not reach
 * W&B (offline mode, server unreachable, crash) with the same requests the live logger uses,
 * oldest first. A session that had created its run continues at the recorded offsets; one that
 * had not creates or resumes the run now. History lines are written at fixed offsets, so
 * sending a session again overwrites rather than duplicates.
 */
public final class WandbSync {

    /** What a sync did: sessions found, sessions delivered now, sessions already delivered, problems. */
    public record Result(int sessions, int deliveredNow, int alreadyDelivered, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Map<String, String> env;
    private final Pause pause;
    private final int maxRetries;
    private final Consumer<String> out;

    /**
     * @param env the environment the API key (and WANDB_* overrides) come from
     * @param maxRetries retries per request before a session is given up (it stays in the spool)
     */
    public WandbSync(Map<String, String> env, Pause pause, int maxRetries, Consumer<String> out) {
        this.env = Map.copyOf(env);
        this.pause = pause;
        this.maxRetries = maxRetries;
        this.out = out;
    }

    /**
     * Syncs {@code runDir/<spoolDir>}; {@code baseUrl} (nullable) replaces the recorded server,
     * {@code force} resends sessions already delivered.
     */
    public Result sync(Path runDir, String spoolDir, String baseUrl, boolean force) throws IOException {
        Path root = runDir.resolve(spoolDir == null ? "wandb-spool" : spoolDir);
        List<Path> sessions = RunSpool.sessions(root);
        List<String> problems = new ArrayList<>();
        if (sessions.isEmpty()) {
            problems.add("no W&B spool in " + root + " (was the run logged with the wandb logger?)");
            return new Result(0, 0, 0, problems);
        }
        int now = 0;
        int before = 0;
        for (Path dir : sessions) {
            if (!Files.exists(dir.resolve(RunSpool.HEADER))) {
                continue;
            }
            RunSpool.Session session = RunSpool.read(dir);
            if (session.delivered() && !force) {
                before++;
                out.accept(dir.getFileName() + ": already delivered");
                continue;
            }
            try {
                now += syncSession(session, baseUrl) ? 1 : 0;
            } catch (WandbHttpException | WandbSetupException | IllegalArgumentException e) {
                problems.add(dir.getFileName() + ": " + e.getMessage());
                break; // later sessions continue this one's offsets: keep the order
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add(dir.getFileName() + ": interrupted");
                break;
            }
        }
        return new Result(sessions.size(), now, before, problems);
    }

    private boolean syncSession(RunSpool.Session session, String baseUrl)
            throws WandbHttpException, WandbSetupException, InterruptedException {
        SpoolHeader h = session.header();
        WandbOptions options = new WandbOptions(h.entity(), h.project(), h.displayName(), h.runId(), "online", h.resume(),
                baseUrl != null ? baseUrl : h.baseUrl(), h.apiKeyEnv(), h.tags(), h.notes(), h.group(), h.jobType(),
                null, null, null, null, null, null, null, null);
        // the recorded settings win over the environment; the key comes from the environment
        WandbSettings settings = WandbSettings.resolve(options, env);
        WandbHttp http = new WandbHttp(settings, pause, maxRetries);
        RunStream stream = new RunStream(http, settings, h.runId(), h.displayName(), h.config() == null ? Map.of() : h.config(),
                h.startTime(), out);
        RunStart start = session.start().isPresent() ? stream.restart(session.start().get()) : stream.start();
        RunSpool.writeStart(session.dir(), start, out);
        stream.attach(start);
        Integer exitCode = null;
        for (SpoolEvent e : session.events()) {
            if (e instanceof SpoolEvent.Finish f) {
                exitCode = f.exitCode();
            } else {
                stream.apply(e);
            }
        }
        stream.postAll(1_000);
        String name = session.dir().getFileName().toString();
        if (exitCode != null) {
            stream.complete(exitCode);
        } else {
            out.accept(name + ": the run never finished (crashed?); its data is sent and the run is left open");
        }
        boolean delivered = stream.failures() == 0;
        RunSpool.writeStatus(session.dir(), delivered, delivered ? "delivered by sit wandb-sync" : stream.failures() + " uploads or rows failed", out);
        out.accept(name + ": " + stream.rowCount() + " history rows " + (delivered ? "delivered" : "sent with failures") + " to "
                + start.url(settings.baseUrl()));
        return delivered;
    }
}
