package dev.sit.plugins.loggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.testkit.MetricsLoggerContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

class MetricsFileLoggerContractTest extends MetricsLoggerContract {

    @Override
    protected MetricsLogger newLogger(Path runDir) {
        return new MetricsFileLogger(MetricsFileOptions.defaults());
    }

    @Override
    protected MetricsLogger newLoggerWithFailingOutput(Path runDir) {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full");
        try {
            // the curve goes under a regular file, so drawing it fails too
            Files.writeString(runDir.resolve("blocker"), "not a folder");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new MetricsFileLogger(new MetricsFileOptions("/dev/full", "blocker/loss.png", null, 0.0));
    }

    @Override
    protected boolean recordedLoss(Path runDir, long step, double value) throws Exception {
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode row = ExtendedJson.MAPPER.readTree(line);
            if (row.path("step").asLong() == step && row.path("loss").asDouble() == value) {
                return true;
            }
        }
        return false;
    }
}
