package dev.sit.plugins.loggers.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * A fake W&B server and loggers pointed at it, for tests outside this package (for example
 * the check that all loggers record the same values).
 */
public final class WandbTestServer implements AutoCloseable {

    private final FakeWandbServer server;
    private final TestRun run = new TestRun();

    public WandbTestServer() throws IOException {
        server = new FakeWandbServer();
    }

    /** A W&B logger for this server, with fast timings and extra option lines. */
    public WandbLogger logger(String... options) {
        return run.logger(Options.fast(server.baseUrl(), options));
    }

    /** The environment with the fake API key the loggers made here use. */
    public static java.util.Map<String, String> environment() {
        return TestRun.ENV;
    }

    /** The API key of {@link #environment()}, to check it appears nowhere. */
    public static String apiKey() {
        return TestRun.KEY;
    }

    /** Every request so far as "route path", e.g. "graphql:UpsertBucket /graphql", "file_stream /files/...". */
    public List<String> requests() {
        return server.requests().stream().map(r -> r.route() + " " + r.path()).toList();
    }

    /** The history rebuilt from the file_stream posts, lines in order. */
    public List<JsonNode> history() {
        return server.history();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
