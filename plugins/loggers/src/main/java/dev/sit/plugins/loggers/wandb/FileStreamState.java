package dev.sit.plugins.loggers.wandb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sit.plugins.loggers.ExtendedJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client's side of the file_stream files: history rows by step (line {@code historyBase + i}
 * on the server is row {@code i}), the full summary, and the paths uploaded since the last post.
 * A row changed after it was sent (an image logged after the scalars of its step) is sent again
 * at the same offset, which the server treats as an overwrite.
 *
 * <p>Row {@code i} is {@code {values..., "_step": step, "_runtime": runtimeOffset + (t - start),
 * "_timestamp": t}}; the summary is the resumed run's summary overlaid with the latest row and
 * {@code "_wandb": {"runtime": floor(_runtime)}}.
 */
final class FileStreamState {

    static final String HISTORY = "wandb-history.jsonl";
    static final String SUMMARY = "wandb-summary.json";
    static final String CONSOLE = "output.log";
    /** The console's legacy line stamp: UTC, microseconds, no zone. */
    private static final java.time.format.DateTimeFormatter STAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(java.time.ZoneOffset.UTC);
    static final int MAX_LINE_BYTES = (10 << 20) - (100 << 10);

    private final long historyBase;
    private final long consoleBase;
    private final List<String> console = new ArrayList<>();
    private int consoleSentUpTo;
    private final long stepFloor;
    private final double runtimeOffset;
    private final double sessionStart;
    private final Consumer<String> warn;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Map<Long, Integer> indexByStep = new HashMap<>();
    private final Map<String, Object> summary;
    private final LinkedHashSet<String> uploaded = new LinkedHashSet<>();
    private int sentUpTo;
    private boolean summaryDirty;
    private long latestStep = Long.MIN_VALUE;
    private int droppedRows;

    FileStreamState(RunStart start, double sessionStart, Consumer<String> warn) {
        this.historyBase = start.historyBase();
        this.consoleBase = start.consoleBase();
        this.stepFloor = start.stepFloor();
        this.runtimeOffset = start.runtimeOffset();
        this.sessionStart = sessionStart;
        this.warn = warn;
        this.summary = new LinkedHashMap<>(start.baseSummary() == null ? Map.of() : start.baseSummary());
    }

    /** One body's worth of pending data, and what it covers. */
    record Body(String json, int historyEnd, int consoleEnd, boolean summary, List<String> uploaded) {
    }

    /** Adds values (scalars, or an image object) to the row of {@code step}. */
    void add(long step, double timestamp, Map<String, ?> values) {
        if (step < stepFloor) {
            droppedRows++;
            warn.accept("W&B: step " + step + " is below the resumed run's next step " + stepFloor + "; left out of its history");
            return;
        }
        Integer index = indexByStep.get(step);
        Map<String, Object> row;
        if (index != null) {
            row = rows.get(index);
            Object[] reserved = {row.remove("_step"), row.remove("_runtime"), row.remove("_timestamp")};
            row.putAll(values);
            row.put("_step", reserved[0]);
            row.put("_runtime", reserved[1]);
            row.put("_timestamp", reserved[2]);
            sentUpTo = Math.min(sentUpTo, index);
        } else if (step < latestStep) {
            droppedRows++;
            warn.accept("W&B: step " + step + " comes after step " + latestStep + "; W&B history steps must increase, so it is left out");
            return;
        } else {
            row = new LinkedHashMap<>(values);
            row.put("_step", step);
            row.put("_runtime", runtimeOffset + Math.max(0, timestamp - sessionStart));
            row.put("_timestamp", timestamp);
            if (line(row).getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
                droppedRows++;
                warn.accept("W&B: the history row of step " + step + " is longer than " + MAX_LINE_BYTES + " bytes; left out");
                return;
            }
            indexByStep.put(step, rows.size());
            rows.add(row);
        }
        if (step >= latestStep) {
            latestStep = step;
            summary.putAll(values);
            summary.put("_step", row.get("_step"));
            summary.put("_runtime", row.get("_runtime"));
            summary.put("_timestamp", row.get("_timestamp"));
            Map<String, Object> wandb = new LinkedHashMap<>();
            if (summary.get("_wandb") instanceof Map<?, ?> old) {
                old.forEach((k, v) -> wandb.put(String.valueOf(k), v));
            }
            wandb.put("runtime", (long) Math.floor((Double) row.get("_runtime")));
            summary.put("_wandb", wandb);
            summaryDirty = true;
        }
    }

    /** Lines of console text, as {@code "<UTC time> <text>"} (the legacy plain format every server accepts). */
    void addConsole(double timestamp, String text) {
        String stamp = STAMP.format(java.time.Instant.ofEpochSecond((long) Math.floor(timestamp),
                (long) ((timestamp - Math.floor(timestamp)) * 1e9)));
        for (String line : text.split("\\R", -1)) {
            console.add(stamp + " " + line);
        }
    }

    /** A file finished uploading: the next post lists it in {@code uploaded}. */
    void markUploaded(String path) {
        uploaded.add(path);
    }

    boolean hasPending() {
        return sentUpTo < rows.size() || consoleSentUpTo < console.size() || summaryDirty || !uploaded.isEmpty();
    }

    /** The next body: at most {@code maxLines} history lines from the first unsent one, the summary if changed, uploads. */
    Body nextBody(int maxLines) {
        ObjectNode body = ExtendedJson.MAPPER.createObjectNode();
        ObjectNode files = ExtendedJson.MAPPER.createObjectNode();
        int end = Math.min(rows.size(), sentUpTo + maxLines);
        if (sentUpTo < end) {
            ObjectNode history = files.putObject(HISTORY);
            history.put("offset", historyBase + sentUpTo);
            ArrayNode content = history.putArray("content");
            for (int i = sentUpTo; i < end; i++) {
                content.add(line(rows.get(i)));
            }
        }
        int consoleEnd = Math.min(console.size(), consoleSentUpTo + maxLines);
        if (consoleSentUpTo < consoleEnd) {
            ObjectNode out = files.putObject(CONSOLE);
            out.put("offset", consoleBase + consoleSentUpTo);
            ArrayNode content = out.putArray("content");
            console.subList(consoleSentUpTo, consoleEnd).forEach(content::add);
        }
        if (summaryDirty) {
            ObjectNode s = files.putObject(SUMMARY);
            s.put("offset", 0);
            s.putArray("content").add(line(summary));
        }
        if (!files.isEmpty()) {
            body.set("files", files);
        }
        List<String> paths = List.copyOf(uploaded);
        if (!paths.isEmpty()) {
            ArrayNode list = body.putArray("uploaded");
            paths.forEach(list::add);
        }
        return new Body(WandbHttp.write(body), Math.max(end, sentUpTo), Math.max(consoleEnd, consoleSentUpTo), summaryDirty, paths);
    }

    /** The server accepted {@code body} (or refused it for good): it is not sent again. */
    void committed(Body body) {
        sentUpTo = Math.max(sentUpTo, body.historyEnd());
        consoleSentUpTo = Math.max(consoleSentUpTo, body.consoleEnd());
        if (body.summary()) {
            summaryDirty = false;
        }
        body.uploaded().forEach(uploaded::remove);
    }

    int rowCount() {
        return rows.size();
    }

    int droppedRows() {
        return droppedRows;
    }

    private static String line(Map<String, Object> row) {
        try {
            return ExtendedJson.MAPPER.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a history row", e);
        }
    }
}
