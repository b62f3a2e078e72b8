package dev.sit.plugins.loggers.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.testkit.MetricsLoggerContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

class WandbLoggerContractTest extends MetricsLoggerContract {

    private FakeWandbServer server;

    @Override
    protected MetricsLogger newLogger(Path runDir) throws Exception {
        server = new FakeWandbServer();
        return new TestRun().logger(Options.fast(server.baseUrl()));
    }

    @Override
    protected MetricsLogger newLoggerWithFailingOutput(Path runDir) throws Exception {
        return new TestRun().logger(Options.fast(WandbSpoolAndSyncTest.deadBaseUrl(),
                "init_timeout_seconds: 0.1", "finish_timeout_seconds: 0.3"));
    }

    @Override
    protected boolean recordedLoss(Path runDir, long step, double value) {
        for (JsonNode row : server.history()) {
            if (row.path("_step").asLong() == step && row.path("loss").asDouble() == value) {
                return true;
            }
        }
        return false;
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
