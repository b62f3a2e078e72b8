package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sit.plugins.loggers.wandb.WandbTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real (short) training run with the console, metrics-file and wandb loggers records the same
 * scalars in all three: log.txt lines, metrics.jsonl rows, and the history rows a (fake) W&B
 * server receives when the offline run is sent with {@code sit wandb-sync}.
 */
class TrainingLoggersAgreeTest {

    private static final Pattern CONSOLE = Pattern.compile("\\(step=(\\d{7})\\) Train Loss: ([0-9.]+), "
            + "Train Steps/Sec: ([0-9.]+), Train Images/Sec: ([0-9.]+), epoch: ([0-9.]+)");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final int STEPS = 4;

    @TempDir
    Path results;

    @Test
    void consoleMetricsFileAndWandbRecordTheSameTrainingScalars() throws Exception {
        CommandLineRun run = CommandLineRun.of("run", "../experiments/quickstart.yaml",
                "--set", "name=loggers-agree",
                "--set", "train.max_steps=" + STEPS,
                "--set", "train.log_every=1",
                "--set", "train.global_batch_size=8",
                "--set", "sample=[]",
                "--set", "eval=",
                "--set", "loggers=[console, metrics-file, {name: wandb, options: {mode: offline, project: sit-test}}]",
                "--set", "results_dir=" + results);
        assertThat(run.exitCode()).as("sit run:%n%s", run.err()).isZero();
        Path folder;
        try (Stream<Path> s = Files.list(results)) {
            folder = s.findFirst().orElseThrow();
        }
        assertThat(folder.resolve("wandb-spool")).isDirectory();

        try (WandbTestServer server = new WandbTestServer()) {
            int sync = new CommandLine(new WandbSyncCommand(WandbTestServer.environment(), d -> { }))
                    .execute(folder.toString(), "--base-url", server.baseUrl());
            assertThat(sync).as("sit wandb-sync exit code").isZero();

            List<JsonNode> wandb = server.history();
            List<String> jsonl = Files.readAllLines(folder.resolve("metrics.jsonl"));
            List<Matcher> console = Files.readAllLines(folder.resolve("log.txt")).stream()
                    .map(CONSOLE::matcher).filter(Matcher::find).toList();
            assertThat(jsonl).hasSize(STEPS);
            assertThat(console).hasSize(STEPS);
            assertThat(wandb).hasSize(STEPS);
            for (int i = 0; i < STEPS; i++) {
                long step = i + 1;
                JsonNode m = JSON.readTree(jsonl.get(i));
                JsonNode w = wandb.get(i);
                Matcher c = console.get(i);
                assertThat(m.path("step").asLong()).isEqualTo(step);
                assertThat(w.path("_step").asLong()).isEqualTo(step);
                assertThat(Long.parseLong(c.group(1))).isEqualTo(step);
                double loss = m.path("loss").asDouble();
                assertThat(loss).as("a training loss").isFinite().isPositive();
                for (String key : List.of("loss", "steps_per_sec", "images_per_sec", "epoch")) {
                    assertThat(w.has(key)).as("wandb row %d has %s: %s", step, key, w).isTrue();
                    assertThat(w.path(key).asDouble()).as("wandb %s at step %d", key, step).isEqualTo(m.path(key).asDouble());
                }
                // the console prints the reference's precision: 4 decimals for the loss, 2 for rates
                assertThat(Double.parseDouble(c.group(2))).isCloseTo(loss, within(0.5e-4 + 1e-12));
                assertThat(Double.parseDouble(c.group(3))).isCloseTo(m.path("steps_per_sec").asDouble(), within(0.5e-2 + 1e-12));
                assertThat(Double.parseDouble(c.group(4))).isCloseTo(m.path("images_per_sec").asDouble(), within(0.5e-2 + 1e-12));
                assertThat(Double.parseDouble(c.group(5))).isCloseTo(m.path("epoch").asDouble(), within(0.5));
                assertThat(m.path("images_per_sec").asDouble() / m.path("steps_per_sec").asDouble())
                        .as("images/s = batch x steps/s").isCloseTo(8.0, within(1e-6));
            }
        }
    }
}
