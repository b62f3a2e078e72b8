package dev.sit.plugins.loggers.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The W&B logger's settings, resolved from its YAML options (first), the {@code WANDB_*}
 * environment, the reference's {@code WANDB_KEY}, {@code ENTITY} and {@code PROJECT}, and the
 * defaults. Holds the API key, which it never shows: {@link #toString()} redacts it.
 */
public final class WandbSettings {

    public static final String DEFAULT_BASE_URL = "https://api.wandb.ai";
    public static final String DEFAULT_PROJECT = "uncategorized";
    private static final String PROJECT_FORBIDDEN = "/\\#?%:";
    private static final Pattern API_KEY = Pattern.compile("([A-Za-z0-9]+-)?[A-Za-z0-9_]{40,}");
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private final WandbMode mode;
    private final ResumeMode resume;
    private final String baseUrl;
    private final String entity;
    private final String project;
    private final String runId;
    private final String displayName;
    private final List<String> tags;
    private final String notes;
    private final String group;
    private final String jobType;
    private final String apiKeySource;
    private final String apiKey;
    private final Map<String, String> extraHeaders;
    private final WandbTiming timing;
    private final int queueSize;
    private final String spoolDir;

    private WandbSettings(Builder b) {
        this.mode = b.mode;
        this.resume = b.resume;
        this.baseUrl = b.baseUrl;
        this.entity = b.entity;
        this.project = b.project;
        this.runId = b.runId;
        this.displayName = b.displayName;
        this.tags = b.tags;
        this.notes = b.notes;
        this.group = b.group;
        this.jobType = b.jobType;
        this.apiKeySource = b.apiKeySource;
        this.apiKey = b.apiKey;
        this.extraHeaders = b.extraHeaders;
        this.timing = b.timing;
        this.queueSize = b.queueSize;
        this.spoolDir = b.spoolDir;
    }

    /**
     * Every problem with these options in this environment, each a sentence saying what is wrong
     * and how to fix it; empty when the logger can start. The experiment validation calls this
     * before training, and {@link WandbLogger#start} fails with the same messages.
     */
    public static List<String> validate(WandbOptions options, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        build(options, env, problems);
        return problems;
    }

    /** The resolved settings, or an {@link IllegalArgumentException} listing every problem. */
    public static WandbSettings resolve(WandbOptions options, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        WandbSettings settings = build(options, env, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("wandb logger: " + String.join("; ", problems));
        }
        return settings;
    }

    private static WandbSettings build(WandbOptions o, Map<String, String> env, List<String> problems) {
        Builder b = new Builder();
        String modeText = first(o.mode(), env.get("WANDB_MODE"), "online");
        b.mode = WandbMode.parse(modeText).orElse(null);
        if (b.mode == null) {
            problems.add("mode '" + modeText + "' is not one of online, offline, disabled (set wandb option mode or WANDB_MODE)");
            b.mode = WandbMode.DISABLED;
        }
        String resumeText = first(o.resume(), env.get("WANDB_RESUME"), "allow");
        b.resume = ResumeMode.parse(resumeText).orElse(null);
        if (b.resume == null) {
            problems.add("resume '" + resumeText + "' is not one of allow, must, never (set wandb option resume or WANDB_RESUME)");
            b.resume = ResumeMode.ALLOW;
        }
        String base = first(o.baseUrl(), env.get("WANDB_BASE_URL"), DEFAULT_BASE_URL).strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        b.baseUrl = base;
        baseUrlProblem(base).ifPresent(problems::add);
        b.entity = blankToNull(first(o.entity(), env.get("WANDB_ENTITY"), env.get("ENTITY")));
        b.project = first(o.project(), env.get("WANDB_PROJECT"), env.get("PROJECT"), DEFAULT_PROJECT);
        projectProblem(b.project).ifPresent(problems::add);
        b.runId = first(o.runId(), env.get("WANDB_RUN_ID"));
        if (b.runId != null) {
            RunId.problem(b.runId).ifPresent(p -> problems.add(p + " (set wandb option run_id or WANDB_RUN_ID)"));
        }
        b.displayName = blankToNull(first(o.name(), env.get("WANDB_NAME")));
        if (o.tags() != null) {
            b.tags = o.tags();
        } else if (env.get("WANDB_TAGS") != null && !env.get("WANDB_TAGS").isBlank()) {
            b.tags = Arrays.stream(env.get("WANDB_TAGS").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        b.notes = blankToNull(first(o.notes(), env.get("WANDB_NOTES")));
        b.group = blankToNull(first(o.group(), env.get("WANDB_RUN_GROUP")));
        b.jobType = blankToNull(first(o.jobType(), env.get("WANDB_JOB_TYPE")));
        b.extraHeaders = extraHeaders(env.get("WANDB__EXTRA_HTTP_HEADERS"), problems);
        b.timing = WandbTiming.of(o);
        b.queueSize = o.queueSize();
        b.spoolDir = o.spoolDir();
        if (b.spoolDir.isBlank()) {
            problems.add("spool_dir must name a folder, for example wandb-spool");
        }
        findApiKey(o.apiKeyEnv(), env, b);
        if (b.mode == WandbMode.ONLINE) {
            if (b.apiKey == null) {
                problems.add("no W&B API key for mode online: set " + (o.apiKeyEnv() != null ? o.apiKeyEnv() : "WANDB_API_KEY (or WANDB_KEY)")
                        + " in the environment or add the key to ~/.netrc, or use mode: offline and send the run later with sit wandb-sync");
            } else {
                apiKeyProblem(b.apiKey, b.apiKeySource).ifPresent(problems::add);
            }
        }
        return new WandbSettings(b);
    }

    private static void findApiKey(String keyEnv, Map<String, String> env, Builder b) {
        List<String> names = keyEnv != null ? List.of(keyEnv) : List.of("WANDB_API_KEY", "WANDB_KEY");
        for (String name : names) {
            String key = env.get(name);
            if (key != null && !key.isEmpty()) {
                b.apiKey = key;
                b.apiKeySource = name;
                return;
            }
        }
        if (keyEnv == null) {
            HttpUrl url = HttpUrl.parse(b.baseUrl);
            if (url != null) {
                netrcPassword(env, url.host()).ifPresent(key -> {
                    b.apiKey = key;
                    b.apiKeySource = "netrc";
                });
            }
        }
    }

    /** The password of {@code machine host} in $NETRC, ~/.netrc or ~/_netrc, as the SDK reads it. */
    static Optional<String> netrcPassword(Map<String, String> env, String host) {
        List<Path> candidates = new ArrayList<>();
        if (env.get("NETRC") != null) {
            candidates.add(Path.of(env.get("NETRC")));
        } else if (env.get("HOME") != null) {
            candidates.add(Path.of(env.get("HOME"), ".netrc"));
            candidates.add(Path.of(env.get("HOME"), "_netrc"));
        }
        for (Path file : candidates) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                String[] tokens = Files.readString(file).split("\\s+");
                String machine = null;
                for (int i = 0; i + 1 < tokens.length; i++) {
                    if (tokens[i].equals("machine")) {
                        machine = tokens[++i];
                    } else if (tokens[i].equals("default")) {
                        machine = "";
                    } else if (tokens[i].equals("password") && host.equals(machine)) {
                        return Optional.of(tokens[i + 1]);
                    }
                }
            } catch (IOException e) {
                // an unreadable netrc is the same as none
            }
        }
        return Optional.empty();
    }

    static Optional<String> projectProblem(String project) {
        if (project.isEmpty()) {
            return Optional.of("project must not be empty (set wandb option project, WANDB_PROJECT or PROJECT)");
        }
        if (project.length() > 128) {
            return Optional.of("project '" + project + "' is " + project.length() + " characters long; W&B allows at most 128");
        }
        for (char c : project.toCharArray()) {
            if (PROJECT_FORBIDDEN.indexOf(c) >= 0) {
                return Optional.of("project '" + project + "' must not contain any of / \\ # ? % : (found '" + c + "')");
            }
        }
        return Optional.empty();
    }

    static Optional<String> baseUrlProblem(String base) {
        HttpUrl url = HttpUrl.parse(base);
        if (url == null) {
            return Optional.of("base_url '" + base + "' is not an http:// or https:// URL (set wandb option base_url or WANDB_BASE_URL)");
        }
        String host = url.host();
        if (host.equals("wandb.ai") || host.endsWith(".wandb.ai")) {
            if (!host.startsWith("api.")) {
                return Optional.of("base_url '" + base + "' is the W&B web app, not its API; use https://api.wandb.ai");
            }
            if (!url.isHttps()) {
                return Optional.of("base_url '" + base + "' must use https for wandb.ai");
            }
        }
        return Optional.empty();
    }

    /** The SDK's key check; the message names where the key came from and its length, never the key. */
    static Optional<String> apiKeyProblem(String key, String source) {
        if (!key.equals(key.strip())) {
            return Optional.of("the W&B API key from " + source + " starts or ends with whitespace; remove it");
        }
        if (!API_KEY.matcher(key).matches() && !JWT.matcher(key).matches()) {
            return Optional.of("the W&B API key from " + source + " does not look like a key (expected 40 or more letters, digits"
                    + " or _, optionally after 'prefix-'; got " + key.length() + " characters); copy it from https://wandb.ai/authorize");
        }
        return Optional.empty();
    }

    private static Map<String, String> extraHeaders(String json, List<String> problems) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return headers;
        }
        try {
            JsonNode node = JsonMapper.builder().build().readTree(json);
            if (!node.isObject()) {
                throw new IOException("not an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                headers.put(e.getKey(), e.getValue().asText());
            }
        } catch (IOException e) {
            problems.add("WANDB__EXTRA_HTTP_HEADERS must be a JSON object of header names to values, like {\"X-Team\":\"a\"}");
        }
        return headers;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The same settings against another server (for {@code sit wandb-sync --base-url}). */
    public WandbSettings withBaseUrl(String url) {
        Builder b = toBuilder();
        b.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return new WandbSettings(b);
    }

    /** The same settings with another mode, timing or key source (for the sync of a spool). */
    WandbSettings with(WandbMode mode, WandbTiming timing) {
        Builder b = toBuilder();
        b.mode = mode;
        b.timing = timing;
        return new WandbSettings(b);
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.mode = mode;
        b.resume = resume;
        b.baseUrl = baseUrl;
        b.entity = entity;
        b.project = project;
        b.runId = runId;
        b.displayName = displayName;
        b.tags = tags;
        b.notes = notes;
        b.group = group;
        b.jobType = jobType;
        b.apiKeySource = apiKeySource;
        b.apiKey = apiKey;
        b.extraHeaders = extraHeaders;
        b.timing = timing;
        b.queueSize = queueSize;
        b.spoolDir = spoolDir;
        return b;
    }

    /** The run id: the configured one, else the reference's hash of the experiment name. */
    public String runIdFor(String experimentName) {
        return runId != null ? runId : RunId.fromExperimentName(experimentName);
    }

    public WandbMode mode() {
        return mode;
    }

    public ResumeMode resume() {
        return resume;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String entity() {
        return entity;
    }

    public String project() {
        return project;
    }

    public String displayName() {
        return displayName;
    }

    public List<String> tags() {
        return tags;
    }

    public String notes() {
        return notes;
    }

    public String group() {
        return group;
    }

    public String jobType() {
        return jobType;
    }

    /** Where the key came from: an environment variable's name or {@code netrc}; null without key. */
    public String apiKeySource() {
        return apiKeySource;
    }

    /** Package-private on purpose: only the HTTP layer reads the key. */
    String apiKey() {
        return apiKey;
    }

    public Map<String, String> extraHeaders() {
        return extraHeaders;
    }

    public WandbTiming timing() {
        return timing;
    }

    public int queueSize() {
        return queueSize;
    }

    public String spoolDir() {
        return spoolDir;
    }

    @Override
    public String toString() {
        return "WandbSettings[mode=" + mode + ", resume=" + resume + ", baseUrl=" + baseUrl + ", entity=" + entity
                + ", project=" + project + ", runId=" + runId + ", apiKey=" + (apiKey == null ? "none" : "<redacted from " + apiKeySource + ">")
                + "]";
    }

    private static final class Builder {
        WandbMode mode;
        ResumeMode resume;
        String baseUrl;
        String entity;
        String project;
        String runId;
        String displayName;
        List<String> tags;
        String notes;
        String group;
        String jobType;
        String apiKeySource;
        String apiKey;
        Map<String, String> extraHeaders = Map.of();
        WandbTiming timing;
        int queueSize;
        String spoolDir;
    }
}
