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
