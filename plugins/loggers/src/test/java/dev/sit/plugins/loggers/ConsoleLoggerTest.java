package dev.sit.plugins.loggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.logging.RunContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLoggerTest {

    @TempDir
    Path runDir;

    @Test
    void printsTheReferenceLineFormat() {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("images_per_sec", 314.159);
        scalars.put("steps_per_sec", 1.2345);
        scalars.put("loss", 0.123449);
        assertThat(ConsoleLogger.formatScalars(100, scalars))
                .isEqualTo("(step=0000100) Train Loss: 0.1234, Train Steps/Sec: 1.23, Train Images/Sec: 314.16");
        assertThat(ConsoleLogger.formatScalars(5, Map.of("lr", 1e-4)))
                .isEqualTo("(step=0000005) lr: 1.0000e-04");
        assertThat(ConsoleLogger.formatScalars(5, Map.of("epoch", 3.0)))
                .isEqualTo("(step=0000005) epoch: 3");
    }

    @Test
    void writesTimestampedLinesToStdoutAndLogTxtAndAppendsOnResume() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T12:00:00Z"), ZoneOffset.UTC);
        ConsoleLogger logger = new ConsoleLogger(ConsoleLoggerOptions.defaults(), out, clock);
        logger.start(new RunContext("000-x", runDir, Map.of(), 0, false));
        logger.logScalars(100, Map.of("loss", 0.5, "steps_per_sec", 2.0));
        logger.logMessage("Saved checkpoint");
        logger.finish(0);

        ConsoleLogger resumed = new ConsoleLogger(ConsoleLoggerOptions.defaults(), out, clock);
        resumed.start(new RunContext("000-x", runDir, Map.of(), 100, true));
        resumed.logScalars(200, Map.of("loss", 0.25));
        resumed.finish(3);

        List<String> lines = Files.readAllLines(runDir.resolve("log.txt"));
        assertThat(lines).containsExactly(
                "[2025-01-01 12:00:00] Experiment directory created at " + runDir,
                "[2025-01-01 12:00:00] (step=0000100) Train Loss: 0.5000, Train Steps/Sec: 2.00",
                "[2025-01-01 12:00:00] Saved checkpoint",
                "[2025-01-01 12:00:00] Done!",
                "[2025-01-01 12:00:00] Resuming 000-x at step 100 in " + runDir,
                "[2025-01-01 12:00:00] (step=0000200) Train Loss: 0.2500",
                "[2025-01-01 12:00:00] Run ended with exit code 3");
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).isEqualTo(lines);
    }
}
