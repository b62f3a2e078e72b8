package dev.sit.plugins.loggers.wandb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.plugins.loggers.ExtendedJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One run's conversation with W&B, in the order of the protocol: RunResumeStatus and
 * UpsertBucket first; then file_stream posts of history, summary and upload notices, with
 * CreateRunFiles and PUT for each image; then the final {@code complete}/{@code exitcode}. Used
 * both by the live sender thread and by {@code sit wandb-sync}, so both send the same requests.
 */
final class RunStream {

    /** file_stream statuses after which the body is dropped and counted (the SDK's legacy policy). */
    private static final Set<Integer> DROP_BODY = Set.of(400, 413, 422);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final WandbHttp http;
    private final WandbSettings settings;
    private final String runId;
    private final String displayName;
    private final Map<String, Object> config;
    private final double sessionStart;
    private final Consumer<String> log;
    private RunStart start;
    private FileStreamState state;
    private int failures;

    RunStream(WandbHttp http, WandbSettings settings, String runId, String displayName, Map<String, Object> config,
            double sessionStart, Consumer<String> log) {
        this.http = http;
        this.settings = settings;
        this.runId = runId;
        this.displayName = displayName;
        this.config = config;
        this.sessionStart = sessionStart;
        this.log = log;
    }

    /** Creates or resumes the run (RunResumeStatus, then UpsertBucket) and returns where it stands. */
    RunStart start() throws WandbHttpException, WandbSetupException, InterruptedException {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("project", settings.project());
        vars.put("entity", settings.entity());
        vars.put("name", runId);
        JsonNode bucket = http.graphql("RunResumeStatus", WandbQueries.RUN_RESUME_STATUS, vars).path("model").path("bucket");
        boolean exists = bucket.isObject() && hasTelemetry(bucket.path("wandbConfig"));
        String where = (settings.entity() == null ? "" : settings.entity() + "/") + settings.project() + "/" + runId;
        if (!exists && settings.resume() == ResumeMode.MUST) {
            throw new WandbSetupException("resume: must, but W&B run " + where + " has not been initialized; "
                    + "use resume: allow, or set run_id / WANDB_RUN_ID to an existing run");
        }
        if (exists && settings.resume() == ResumeMode.NEVER) {
            throw new WandbSetupException("resume: never, but W&B run " + where + " already exists; "
                    + "use resume: allow to continue it, or set another run_id / WANDB_RUN_ID");
        }
        if (!exists) {
            return upsert(null, null, 0, RunConfig.serialize(config, null, settings.apiKey()), settings.tags(), settings.notes(),
                    0, 0, Map.of(), false);
        }
        long historyLines = count(bucket, "historyLineCount");
        List<Map<String, Object>> historyTail = tail(bucket.path("historyTail"));
        List<Map<String, Object>> eventsTail = tail(bucket.path("eventsTail"));
        Map<String, Object> oldSummary = jsonObject(bucket.path("summaryMetrics"), "summaryMetrics");
        Map<String, Object> oldConfig = jsonObject(bucket.path("config"), "config");
        long nextStep = 0;
        double runtime = 0;
        if (!historyTail.isEmpty()) {
            Map<String, Object> last = historyTail.get(historyTail.size() - 1);
            if (historyLines > 0 && last.get("_step") instanceof Number s) {
                nextStep = s.longValue() + 1;
            }
            runtime = Math.max(runtime, number(last.get("_runtime")));
        }
        if (!eventsTail.isEmpty()) {
            runtime = Math.max(runtime, number(eventsTail.get(eventsTail.size() - 1).get("_runtime")));
        }
        if (oldSummary.get("_wandb") instanceof Map<?, ?> w) {
            runtime = Math.max(runtime, number(w.get("runtime")));
        }
        List<String> tags = settings.tags();
        if (tags == null && bucket.path("tags").isArray()) {
            tags = new ArrayList<>();
            for (JsonNode t : bucket.path("tags")) {
                tags.add(t.asText());
            }
        }
        String notes = settings.notes() != null ? settings.notes() : (bucket.path("notes").isTextual() ? bucket.path("notes").asText() : null);
        return upsert(bucket.path("id").asText(null), historyLines, count(bucket, "logLineCount"),
                RunConfig.serialize(config, oldConfig, settings.apiKey()), tags, notes, nextStep, runtime, oldSummary, true);
    }

    /** Continues a run started before (a spooled session): UpsertBucket again with the recorded id and config. */
    RunStart restart(RunStart recorded) throws WandbHttpException, WandbSetupException, InterruptedException {
        RunStart fresh = upsert(recorded.storageId(), recorded.historyBase(), recorded.consoleBase(), recorded.config(),
                settings.tags(), settings.notes(), recorded.stepFloor(), recorded.runtimeOffset(), recorded.baseSummary(), recorded.resumed());
        return new RunStart(fresh.storageId(), fresh.runId(), fresh.entity(), fresh.project(), fresh.displayName(),
                recorded.historyBase(), recorded.consoleBase(), recorded.stepFloor(), recorded.runtimeOffset(), recorded.baseSummary(),
                recorded.config(), recorded.resumed());
    }

    private RunStart upsert(String storageId, Long historyBase, long consoleBase, String configJson, List<String> tags, String notes,
            long stepFloor, double runtime, Map<String, Object> baseSummary, boolean resumed)
            throws WandbHttpException, InterruptedException {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("id", storageId);
        vars.put("name", runId);
        vars.put("project", settings.project());
        vars.put("entity", settings.entity());
        vars.put("groupName", settings.group());
        vars.put("description", null);
        vars.put("displayName", displayName);
        vars.put("notes", notes);
        vars.put("commit", null);
        vars.put("config", configJson);
        vars.put("host", null);
        vars.put("debug", null);
        vars.put("program", null);
        vars.put("repo", null);
        vars.put("jobType", settings.jobType());
        vars.put("state", null);
        vars.put("sweep", null);
        vars.put("tags", tags);
        vars.put("summaryMetrics", null);
        JsonNode bucket = http.graphql("UpsertBucket", WandbQueries.UPSERT_BUCKET, vars).path("upsertBucket").path("bucket");
        if (!bucket.isObject() || bucket.path("project").path("entity").path("name").asText("").isEmpty()) {
            throw new WandbHttpException("W&B UpsertBucket answered without the run's bucket, project and entity", 200);
        }
        long base = historyBase != null ? historyBase : count(bucket, "historyLineCount");
        return new RunStart(bucket.path("id").asText(null), bucket.path("name").asText(runId),
                bucket.path("project").path("entity").path("name").asText(), bucket.path("project").path("name").asText(),
                bucket.path("displayName").asText(displayName), base, consoleBase, stepFloor, runtime, baseSummary, configJson, resumed);
    }

    /** From now on, data goes to the run {@code start} describes. */
    void attach(RunStart runStart) {
        this.start = runStart;
        this.state = new FileStreamState(runStart, sessionStart, log);
    }

    RunStart runStart() {
        return start;
    }

    /** Adds a logged event to the pending data; an image is uploaded first (CreateRunFiles, PUT). */
    void apply(SpoolEvent event) throws InterruptedException {
        if (event instanceof SpoolEvent.Row row) {
            state.add(row.step(), row.timestamp(), row.values());
        } else if (event instanceof SpoolEvent.Message message) {
            state.addConsole(message.timestamp(), message.text());
        } else if (event instanceof SpoolEvent.Image image) {
            if (upload(image.path(), image.png())) {
                state.markUploaded(image.path());
            }
            // as the SDK does, the history refers to the image even when its upload failed
            state.add(image.step(), image.timestamp(), Map.of(image.key(), imageValue(image)));
        }
    }

    /** The W&B history value of an image: {@code {"_type": "image-file", "path", "sha256", "size", "format", "width", "height"}}. */
    static Map<String, Object> imageValue(SpoolEvent.Image image) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("_type", "image-file");
        value.put("path", image.path());
        value.put("sha256", image.sha256());
        value.put("size", image.png().length);
        value.put("format", "png");
        value.put("width", image.width());
        value.put("height", image.height());
        if (image.caption() != null) {
            value.put("caption", image.caption());
        }
        return value;
    }

    private boolean upload(String path, byte[] bytes) throws InterruptedException {
        try {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("entity", start.entity());
            vars.put("project", start.project());
            vars.put("run", start.runId());
            vars.put("files", List.of(path));
            JsonNode answer = http.graphql("CreateRunFiles", WandbQueries.CREATE_RUN_FILES, vars).path("createRunFiles");
            if (answer.path("runID").asText("").isEmpty()) {
                throw new WandbHttpException("W&B CreateRunFiles: run " + start.entity() + "/" + start.project() + "/"
                        + start.runId() + " is missing or not accessible", 200);
            }
            List<String> headers = new ArrayList<>();
            answer.path("uploadHeaders").forEach(h -> headers.add(h.asText()));
            for (JsonNode file : answer.path("files")) {
                if (path.equals(file.path("name").asText())) {
                    if (!file.path("uploadUrl").isTextual()) {
                        log.accept("W&B: no upload URL for " + path + "; skipped");
                        return false;
                    }
                    http.put(file.path("uploadUrl").asText(), headers, bytes);
                    return true;
                }
            }
            log.accept("W&B: CreateRunFiles did not list " + path + "; skipped");
            return false;
        } catch (WandbHttpException e) {
            failures++;
            log.accept("W&B: could not upload " + path + ": " + e.getMessage());
            return false;
        }
    }

    boolean hasPending() {
        return state.hasPending();
    }

    /**
     * Posts the next body of pending data. A body the server refuses with 400, 413 or 422 is dropped
     * and counted; other final failures (401, 403, 404, 410, retries used up) are thrown: the
     * stream is dead.
     */
    void post(int maxLines) throws WandbHttpException, InterruptedException {
        FileStreamState.Body body = state.nextBody(maxLines);
        try {
            JsonNode answer = http.fileStream(start.entity(), start.project(), start.runId(), body.json());
            if (answer.path("stopped").asBoolean(false)) {
                log.accept("W&B: the run was stopped from the W&B app; logging goes on, stop training yourself if you wish");
            }
        } catch (WandbHttpException e) {
            if (!DROP_BODY.contains(e.status())) {
                throw e;
            }
            failures++;
            log.accept("W&B: file_stream refused a body and it was dropped (" + e.getMessage() + ")");
        }
        state.committed(body);
    }

    /** Posts everything pending, in bodies of at most {@code maxLines} history lines. */
    void postAll(int maxLines) throws WandbHttpException, InterruptedException {
        while (state.hasPending()) {
            post(maxLines);
        }
    }

    /** {@code {}}: tells the server the run is alive. */
    void heartbeat() throws WandbHttpException, InterruptedException {
        http.fileStream(start.entity(), start.project(), start.runId(), "{}");
    }

    /** The last file_stream request: {@code {"complete": true, "exitcode": code}}. */
    void complete(int exitCode) throws WandbHttpException, InterruptedException {
        http.fileStream(start.entity(), start.project(), start.runId(), "{\"complete\":true,\"exitcode\":" + exitCode + "}");
    }

    /** Uploads and bodies that failed for good, plus rows left out: all must be zero for a complete delivery. */
    int failures() {
        return failures + (state == null ? 0 : state.droppedRows());
    }

    int rowCount() {
        return state == null ? 0 : state.rowCount();
    }

    private static boolean hasTelemetry(JsonNode wandbConfig) {
        if (wandbConfig.isTextual()) {
            try {
                return ExtendedJson.MAPPER.readTree(wandbConfig.asText()).has("t");
            } catch (IOException e) {
                return wandbConfig.asText().contains("\"t\":");
            }
        }
        return wandbConfig.isObject() && wandbConfig.has("t");
    }

    private long count(JsonNode bucket, String field) {
        if (!bucket.path(field).isNumber()) {
            if (bucket.has(field)) {
                log.accept("W&B: the run has no " + field + "; using 0");
            }
            return 0;
        }
        return bucket.path(field).asLong();
    }

    /** historyTail / eventsTail: a JSON string of a JSON array of JSON strings, each a row. */
    private List<Map<String, Object>> tail(JsonNode node) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            JsonNode array = node.isTextual() ? ExtendedJson.MAPPER.readTree(node.asText()) : node;
            if (array != null && array.isArray()) {
                for (JsonNode line : array) {
                    JsonNode row = line.isTextual() ? ExtendedJson.MAPPER.readTree(line.asText()) : line;
                    if (row != null && row.isObject()) {
                        rows.add(ExtendedJson.MAPPER.convertValue(row, MAP));
                    }
                }
            }
        } catch (IOException e) {
            log.accept("W&B: unreadable history tail of the resumed run; continuing from step 0");
        }
        return rows;
    }

    private Map<String, Object> jsonObject(JsonNode node, String what) {
        try {
            JsonNode value = node.isTextual() ? ExtendedJson.MAPPER.readTree(node.asText()) : node;
            if (value != null && value.isObject()) {
                return ExtendedJson.MAPPER.convertValue(value, MAP);
            }
        } catch (IOException e) {
            log.accept("W&B: unreadable " + what + " of the resumed run; using {}");
        }
        return new LinkedHashMap<>();
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
