package dev.sit.plugins.loggers.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sit.plugins.loggers.ExtendedJson;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Headers;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A W&B server double on MockWebServer, modelled like the SDK's backend spy: GraphQL answers by
 * operation, file_stream posts applied to {@code Map<file, SortedMap<offset, line>>}, uploads kept
 * by path. Faults can be queued per route ("graphql:UpsertBucket", "file_stream", "put").
 */
final class FakeWandbServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Seen(String method, String path, String route, Headers headers, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return ExtendedJson.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }
    }

    final MockWebServer server = new MockWebServer();
    final List<Seen> requests = Collections.synchronizedList(new ArrayList<>());
    final Map<String, SortedMap<Long, String>> files = new ConcurrentHashMap<>();
    final Map<String, byte[]> uploads = new ConcurrentHashMap<>();
    private final Map<String, Deque<MockResponse>> faults = new HashMap<>();
    String returnedEntity = "ent-server";
    String returnedProject = "proj-server";
    long upsertHistoryLineCount = 0;
    /** The RunResumeStatus bucket, as JSON text; "null" for no run. */
    String resumeBucket = "null";
    List<String> uploadHeaders = List.of("X-Test-Sig:abc", "Content-Type:image/png");
    /** Upload URL for a path; default: absolute URL on this server under /upload/. */
    java.util.function.Function<String, String> uploadUrl;
    String fileStreamAnswer = "{}";
    /** How long UpsertBucket takes to answer, to stand for a slow server. */
    volatile long upsertDelayMillis;

    FakeWandbServer() throws IOException {
        this("/");
    }

    FakeWandbServer(String prefix) throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        server.start();
        uploadUrl = path -> server.url("/upload/" + path).toString();
        this.prefix = prefix;
    }

    private final String prefix;

    String baseUrl() {
        return server.url(prefix).toString();
    }

    synchronized void fail(String route, MockResponse... responses) {
        faults.computeIfAbsent(route, r -> new ArrayDeque<>()).addAll(List.of(responses));
    }

    private synchronized MockResponse fault(String route) {
        Deque<MockResponse> q = faults.get(route);
        return q == null ? null : q.poll();
    }

    private MockResponse handle(RecordedRequest request) {
        byte[] body = request.getBody().readByteArray();
        String path = request.getPath();
        String route;
        JsonNode json = null;
        if (request.getMethod().equals("PUT")) {
            route = "put";
        } else if (path.endsWith("/graphql")) {
            try {
                json = ExtendedJson.MAPPER.readTree(body);
            } catch (IOException e) {
                return new MockResponse().setResponseCode(400);
            }
            route = "graphql:" + json.path("operationName").asText();
        } else if (path.endsWith("/file_stream")) {
            route = "file_stream";
        } else {
            route = "other";
        }
        requests.add(new Seen(request.getMethod(), path, route, request.getHeaders(), body));
        MockResponse fault = fault(route);
        if (fault != null) {
            return fault;
        }
        try {
            switch (route) {
                case "put" -> {
                    uploads.put(path, body);
                    return new MockResponse().setResponseCode(200);
                }
                case "file_stream" -> {
                    JsonNode post = ExtendedJson.MAPPER.readTree(body);
                    post.path("files").fields().forEachRemaining(f -> {
                        SortedMap<Long, String> lines = files.computeIfAbsent(f.getKey(), k -> new TreeMap<>());
                        long offset = f.getValue().path("offset").asLong();
                        for (JsonNode line : f.getValue().path("content")) {
                            lines.put(offset++, line.asText());
                        }
                    });
                    return new MockResponse().setBody(fileStreamAnswer);
                }
                case "graphql:UpsertBucket" -> {
                    JsonNode v = json.path("variables");
                    return slow(data("{\"upsertBucket\":{\"bucket\":{\"id\":\"storage-1\",\"name\":" + quote(v.path("name").asText())
                            + ",\"displayName\":" + quote(v.path("displayName").asText("generated-name"))
                            + ",\"description\":null,\"config\":null,\"sweepName\":null,"
                            + "\"project\":{\"id\":\"p1\",\"name\":" + quote(returnedProject)
                            + ",\"entity\":{\"id\":\"e1\",\"name\":" + quote(returnedEntity) + "}},"
                            + "\"historyLineCount\":" + upsertHistoryLineCount + "},\"inserted\":true}}"));
                }
                case "graphql:RunResumeStatus" -> {
                    return data("{\"model\":{\"id\":\"m1\",\"name\":" + quote(returnedProject) + ",\"entity\":{\"id\":\"e1\",\"name\":"
                            + quote(returnedEntity) + "},\"bucket\":" + resumeBucket + "}}");
                }
                case "graphql:CreateRunFiles" -> {
                    ObjectNode answer = ExtendedJson.MAPPER.createObjectNode();
                    ObjectNode crf = answer.putObject("createRunFiles");
                    crf.put("runID", "storage-1");
                    uploadHeaders.forEach(crf.putArray("uploadHeaders")::add);
                    var list = crf.putArray("files");
                    for (JsonNode f : json.path("variables").path("files")) {
                        ObjectNode file = list.addObject();
                        file.put("name", f.asText());
                        String url = uploadUrl.apply(f.asText());
                        if (url == null) {
                            file.putNull("uploadUrl");
                        } else {
                            file.put("uploadUrl", url);
                        }
                    }
                    return data(ExtendedJson.MAPPER.writeValueAsString(answer));
                }
                default -> {
                    return new MockResponse().setResponseCode(404);
                }
            }
        } catch (IOException e) {
            return new MockResponse().setResponseCode(500).setBody(e.toString());
        }
    }

    private MockResponse slow(MockResponse response) {
        return upsertDelayMillis > 0 ? response.setHeadersDelay(upsertDelayMillis, java.util.concurrent.TimeUnit.MILLISECONDS) : response;
    }

    private static MockResponse data(String json) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"data\":" + json + "}");
    }

    static String quote(String s) {
        try {
            return ExtendedJson.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Seen> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<Seen> route(String route) {
        return requests().stream().filter(r -> r.route().equals(route)).toList();
    }

    /** The reconstructed history, lines in offset order, each parsed. */
    List<JsonNode> history() {
        return lines(FileStreamState.HISTORY);
    }

    List<JsonNode> lines(String file) {
        List<JsonNode> out = new ArrayList<>();
        SortedMap<Long, String> lines = files.getOrDefault(file, new TreeMap<>());
        long expected = lines.isEmpty() ? 0 : lines.firstKey();
        for (Map.Entry<Long, String> e : lines.entrySet()) {
            if (e.getKey() != expected++) {
                throw new AssertionError(file + " has a gap before offset " + e.getKey() + ": " + lines.keySet());
            }
            try {
                out.add(ExtendedJson.MAPPER.readTree(e.getValue()));
            } catch (IOException ex) {
                throw new AssertionError("line " + e.getKey() + " is not JSON: " + e.getValue(), ex);
            }
        }
        return out;
    }

    /** Route names of all requests in order, e.g. graphql:UpsertBucket, file_stream, put. */
    List<String> sequence() {
        return requests().stream().map(Seen::route).toList();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
