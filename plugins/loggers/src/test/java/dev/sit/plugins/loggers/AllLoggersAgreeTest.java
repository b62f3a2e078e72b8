package dev.sit.plugins.loggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import dev.sit.plugins.loggers.wandb.WandbLogger;
import dev.sit.plugins.loggers.wandb.WandbTestServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same scalars fed to console, metrics-file and wandb come out the same in all three. */
class AllLoggersAgreeTest {

    private static final Pattern CONSOLE = Pattern.compile(
            "\\(step=(\\d{7})\\) Train Loss: ([0-9.]+), Train Steps/Sec: ([0-9.]+), Train Images/Sec: ([0-9.]+)");

    @TempDir
    Path runDir;

    @Test
    void consoleMetricsFileAndWandbRecordTheSameScalars() throws Exception {
        List<Map<String, Double>> logged = new ArrayList<>();
        try (WandbTestServer server = new WandbTestServer()) {
            List<MetricsLogger> loggers = List.of(
                    new ConsoleLogger(ConsoleLoggerOptions.defaults(), new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC()),
                    new MetricsFileLogger(MetricsFileOptions.defaults()),
                    server.logger("transmit_interval_seconds: 0.02"));
            RunContext run = new RunContext("001-agree", runDir, Map.of("lr", 1e-4), 0, false);
            for (MetricsLogger l : loggers) {
                l.start(run);
            }
            for (int i = 0; i < 6; i++) {
                Map<String, Double> scalars = new LinkedHashMap<>();
                scalars.put("loss", 0.987654321 / (i + 1));
                scalars.put("steps_per_sec", 3.14159 + i);
                scalars.put("images_per_sec", 256 * (3.14159 + i));
                logged.add(scalars);
                for (MetricsLogger l : loggers) {
                    l.logScalars(100L * i, scalars);
                }
            }
            for (MetricsLogger l : loggers) {
                l.finish(0);
            }

            List<JsonNode> wandb = server.history();
            List<String> jsonl = Files.readAllLines(runDir.resolve("metrics.jsonl"));
            List<Matcher> console = Files.readAllLines(runDir.resolve("log.txt")).stream()
                    .map(CONSOLE::matcher).filter(Matcher::find).toList();
            assertThat(wandb).hasSize(6);
            assertThat(jsonl).hasSize(6);
            assertThat(console).hasSize(6);
            for (int i = 0; i < 6; i++) {
                Map<String, Double> expected = logged.get(i);
                JsonNode w = wandb.get(i);
                JsonNode m = ExtendedJson.MAPPER.readTree(jsonl.get(i));
                Matcher c = console.get(i);
                assertThat(w.path("_step").asLong()).isEqualTo(100L * i);
                assertThat(m.path("step").asLong()).isEqualTo(100L * i);
                assertThat(Long.parseLong(c.group(1))).isEqualTo(100L * i);
                for (String key : expected.keySet()) {
                    assertThat(w.path(key).asDouble()).as("wandb " + key).isEqualTo(expected.get(key));
                    assertThat(m.path(key).asDouble()).as("metrics.jsonl " + key).isEqualTo(expected.get(key));
                }
                // the console prints the reference's precision: 4 decimals for the loss, 2 for rates
                assertThat(Double.parseDouble(c.group(2))).isCloseTo(expected.get("loss"), within(0.5e-4 + 1e-12));
                assertThat(Double.parseDouble(c.group(3))).isCloseTo(expected.get("steps_per_sec"), within(0.5e-2 + 1e-12));
                assertThat(Double.parseDouble(c.group(4))).isCloseTo(expected.get("images_per_sec"), within(0.5e-2 + 1e-12));
            }
        }
    }
}
