package dev.sit.plugins.loggers.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sit.plugins.loggers.ExtendedJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The three HTTP surfaces of W&B: {@code POST {base}/graphql}, {@code POST
 * {base}/files/{entity}/{project}/{run}/file_stream} (both with {@code Authorization: Basic
 * base64("api:" + key)}) and {@code PUT} to presigned upload URLs (no credentials, only the
 * headers the server returned). Requests are retried with exponential back-off and jitter
 * ({@code min(max, min * 2^attempt * (1 + 0.25 rand))}) or exactly the server's
 * {@code Retry-After}, by the SDK's rules per surface.
 */
public final class WandbHttp {

    private static final MediaType JSON = MediaType.get("application/json");
    /** GraphQL statuses the SDK never retries; UpsertBucket retries 409 anyway. */
    private static final Set<Integer> GRAPHQL_FINAL = Set.of(400, 401, 403, 404, 409, 410, 413, 422, 501);
    private static final Set<Integer> UPSERT_FINAL = Set.of(400, 401, 403, 404, 410, 413, 422, 501);
    private static final Set<Integer> FILE_STREAM_FINAL = Set.of(400, 401, 403, 404, 409, 410, 413, 422, 501);

    private final HttpUrl base;
    private final String baseText;
    private final String authorization;
    private final Map<String, String> extraHeaders;
    private final OkHttpClient api;
    private final OkHttpClient upload;
    private final Pause pause;
    private final Duration retryMin;
    private final Duration retryMax;
    private final int maxRetries;
    private volatile boolean cancelled;
    private volatile Call current;
    private long fileStreamNotBeforeNanos;

    /**
     * @param maxRetries retries per request after the first attempt; the live sender retries
     *     without end (until finish gives up and cancels), {@code sit wandb-sync} a few times
     */
    public WandbHttp(WandbSettings settings, Pause pause, int maxRetries) {
        this.base = HttpUrl.get(settings.baseUrl());
        this.baseText = settings.baseUrl();
        this.authorization = settings.apiKey() == null ? null : Credentials.basic("api", settings.apiKey());
        this.extraHeaders = settings.extraHeaders();
        this.pause = pause;
        this.retryMin = settings.timing().retryMin();
        this.retryMax = settings.timing().retryMax();
        this.maxRetries = maxRetries;
        OkHttpClient plain = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        // credentials only on the API client: presigned PUTs must never carry them
        this.api = plain.newBuilder()
                .callTimeout(180, TimeUnit.SECONDS)
                .readTimeout(180, TimeUnit.SECONDS)
                .addInterceptor(chain -> {
                    Request.Builder r = chain.request().newBuilder().header("User-Agent", "sit-wandb");
                    if (authorization != null) {
                        r.header("Authorization", authorization);
                    }
                    return chain.proceed(r.build());
                })
                .build();
        this.upload = plain.newBuilder().callTimeout(0, TimeUnit.SECONDS).readTimeout(300, TimeUnit.SECONDS).build();
    }

    /** Stops the current and every later request: they end with {@link InterruptedException}. */
    public void cancel() {
        cancelled = true;
        Call call = current;
        if (call != null) {
            call.cancel();
        }
    }

    /** {@code data} of a GraphQL operation; HTTP 200 with {@code errors} is a final failure. */
    public JsonNode graphql(String operationName, String query, Map<String, Object> variables)
            throws WandbHttpException, InterruptedException {
        ObjectNode body = ExtendedJson.MAPPER.createObjectNode();
        body.put("query", query);
        body.set("variables", ExtendedJson.MAPPER.valueToTree(variables));
        body.put("operationName", operationName);
        Request request = new Request.Builder()
                .url(base.newBuilder().addPathSegment("graphql").build())
                .post(RequestBody.create(write(body), JSON))
                .build();
        Set<Integer> finalStatuses = operationName.equals("UpsertBucket") ? UPSERT_FINAL : GRAPHQL_FINAL;
        String text = execute(request, operationName, code -> !finalStatuses.contains(code));
        JsonNode answer = parse(text);
        JsonNode errors = answer.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            StringBuilder messages = new StringBuilder();
            errors.forEach(e -> messages.append(messages.length() == 0 ? "" : "; ").append(e.path("message").asText(e.toString())));
            throw new WandbHttpException("W&B " + operationName + " failed: " + messages, 200);
        }
        if (answer.hasNonNull("error")) {
            throw new WandbHttpException("W&B " + operationName + " failed: " + answer.get("error").asText(), 200);
        }
        return answer.path("data");
    }

    /** Posts one file_stream body; the response (often {@code {}}) as JSON, or empty when not JSON. */
    public JsonNode fileStream(String entity, String project, String runId, String body)
            throws WandbHttpException, InterruptedException {
        long wait = fileStreamNotBeforeNanos - System.nanoTime();
        if (fileStreamNotBeforeNanos != 0 && wait > 0) {
            pause.sleep(Duration.ofNanos(wait));
        }
        HttpUrl url = base.newBuilder().addPathSegment("files").addPathSegment(entity).addPathSegment(project)
                .addPathSegment(runId).addPathSegment("file_stream").build();
        Request request = new Request.Builder().url(url).post(RequestBody.create(body, JSON)).build();
        return parse(execute(request, "file_stream", code -> !FILE_STREAM_FINAL.contains(code)));
    }

    /**
     * PUTs bytes to an upload URL (relative ones are resolved against the base URL) with exactly the
     * given {@code "Key:Value"} headers plus any extra headers, no credentials and no content type
     * of its own. Retries network errors, 429 and 5xx except 501.
     */
    public void put(String uploadUrl, List<String> uploadHeaders, byte[] bytes) throws WandbHttpException, InterruptedException {
        HttpUrl url = uploadUrl.startsWith("/") ? HttpUrl.get(baseText + uploadUrl) : HttpUrl.get(uploadUrl);
        Request.Builder request = new Request.Builder().url(url).put(RequestBody.create(bytes, null));
        for (String header : uploadHeaders) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
        }
        execute(request.build(), "upload PUT", code -> code == 429 || (code >= 500 && code != 501), upload);
    }

    private String execute(Request request, String what, java.util.function.IntPredicate retriable)
            throws WandbHttpException, InterruptedException {
        return execute(request, what, retriable, api);
    }

    private String execute(Request request, String what, java.util.function.IntPredicate retriable, OkHttpClient client)
            throws WandbHttpException, InterruptedException {
        Request.Builder withExtra = request.newBuilder();
        extraHeaders.forEach(withExtra::header);
        request = withExtra.build();
        for (int attempt = 0; ; attempt++) {
            if (cancelled || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("W&B " + what + " cancelled");
            }
            Duration wait;
            String failure;
            int status = 0;
            Call call = client.newCall(request);
            current = call;
            try (Response response = call.execute()) {
                status = response.code();
                ResponseBody body = response.body();
                String text = body == null ? "" : body.string();
                if (response.isSuccessful()) {
                    rememberRateLimit(response, what);
                    return text;
                }
                failure = "W&B " + what + " answered HTTP " + status + reason(text);
                if (!retriable.test(status)) {
                    throw new WandbHttpException(failure, status);
                }
                wait = retryAfter(response.header("Retry-After"));
            } catch (InterruptedIOException e) {
                if (cancelled || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("W&B " + what + " cancelled");
                }
                failure = "W&B " + what + " timed out: " + e.getMessage();
                wait = null;
            } catch (IOException e) {
                if (cancelled) {
                    throw new InterruptedException("W&B " + what + " cancelled");
                }
                failure = "W&B " + what + " could not reach " + request.url().host() + ":" + request.url().port() + " (" + e.getMessage() + ")";
                wait = null;
            } finally {
                current = null;
            }
            if (attempt >= maxRetries) {
                throw new WandbHttpException(failure + "; gave up after " + (attempt + 1) + " attempts", status);
            }
            pause.sleep(wait != null ? wait : backoff(attempt));
        }
    }

    /** {@code min(max, min * 2^attempt * (1 + 0.25 rand))}. */
    Duration backoff(int attempt) {
        double seconds = retryMin.toNanos() / 1e9 * Math.pow(2, Math.min(attempt, 30)) * (1 + 0.25 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos((long) (Math.min(seconds, retryMax.toNanos() / 1e9) * 1e9));
    }

    /** Retry-After as seconds or an RFC 1123 date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /** With {@code RateLimit-Remaining: 0}, the next file_stream post waits {@code RateLimit-Reset} seconds. */
    private void rememberRateLimit(Response response, String what) {
        if (!what.equals("file_stream")) {
            return;
        }
        String remaining = response.header("RateLimit-Remaining");
        String reset = response.header("RateLimit-Reset");
        if ("0".equals(remaining != null ? remaining.strip() : null) && reset != null) {
            try {
                double seconds = Double.parseDouble(reset.strip());
                if (seconds > 1) {
                    fileStreamNotBeforeNanos = System.nanoTime() + (long) (seconds * 1e9);
                }
            } catch (NumberFormatException ignored) {
                // an unreadable hint is no hint
            }
        }
    }

    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        JsonNode node = parse(body);
        String text = node.path("errors").path(0).path("message").asText(node.path("error").asText(""));
        if (text.isEmpty()) {
            text = body.strip();
        }
        return ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = text == null || text.isBlank() ? null : ExtendedJson.MAPPER.readTree(text);
            return node == null ? ExtendedJson.MAPPER.createObjectNode() : node;
        } catch (IOException e) {
            // a non-JSON answer is tolerated, as the SDK does
            return ExtendedJson.MAPPER.createObjectNode();
        }
    }

    static String write(Object value) {
        try {
            return ExtendedJson.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a W&B request", e);
        }
    }
}
