package dev.sit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sit.cli.SitCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sit sweep --spark local[2]}: two variants run as two Spark tasks side by side; each one's
 * summary holds its own run's last logged loss, equal to the same sweep run in this process; the
 * reports are written; a re-run skips both.
 */
class SparkSweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path sweep(String name) throws Exception {
        Files.writeString(dir.resolve("tiny.yaml"), """
                name: tiny
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 4, input_size: 16, in_channels: 3,
                        num_classes: 10, learn_sigma: false}
                data: {source: {name: shapes, options: {size: 64}}, vae: none, num_workers: 1}
                train: {max_steps: 3, global_batch_size: 8, log_every: 1, ckpt_every: 100, lr: 1e-3}
                loggers: [metrics-file]
                """);
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                base: tiny.yaml
                grid:
                  transport.path: [Linear, GVP]
                metric: loss
                results_dir: %s
                """.formatted(name, dir.resolve("results")));
        return file;
    }

    private static double lastLoss(Path runFolder) throws Exception {
        double loss = Double.NaN;
        for (String line : Files.readAllLines(runFolder.resolve("metrics.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            if (node.has("loss")) {
                loss = node.get("loss").asDouble();
            }
        }
        return loss;
    }

    @Test
    void variantsRunAsSparkTasksAndGiveTheMetricsOfALocalSweep() throws Exception {
        assertThat(SitCommand.execute("sweep", sweep("local").toString())).isZero();
        Path onSpark = sweep("spark");
        assertThat(SitCommand.execute("sweep", onSpark.toString(), "--spark", "local[2]")).isZero();

        Path folder = dir.resolve("results/spark");
        for (String report : List.of("sweep.csv", "sweep.md", "sweep.png")) {
            assertThat(folder.resolve(report)).isNotEmptyFile();
        }
        List<Path> summaries;
        try (var s = Files.list(folder.resolve("runs"))) {
            summaries = s.sorted().toList();
        }
        assertThat(summaries).hasSize(2);
        for (Path summary : summaries) {
            JsonNode result = JSON.readTree(summary.toFile());
            double metric = result.get("metric").asDouble();
            assertThat(metric).as("%s: the metric is its run's last loss", summary).isEqualTo(lastLoss(Path.of(result.get("runFolder").asText())));
            JsonNode local = JSON.readTree(dir.resolve("results/local/runs").resolve(summary.getFileName()).toFile());
            assertThat(metric).as("%s: Spark = this process", summary).isEqualTo(local.get("metric").asDouble());
        }
        assertThat(JSON.readTree(summaries.get(0).toFile()).get("metric").asDouble())
                .isNotEqualTo(JSON.readTree(summaries.get(1).toFile()).get("metric").asDouble());

        // a re-run finds both finished: no variant runs again, the reports are rewritten from the summaries
        FileTime before = Files.getLastModifiedTime(summaries.get(0));
        assertThat(SitCommand.execute("sweep", onSpark.toString(), "--spark", "local[2]")).isZero();
        assertThat(Files.getLastModifiedTime(summaries.get(0))).isEqualTo(before);
        try (var s = Files.list(folder)) {
            assertThat(s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().equals("runs"))).hasSize(2);
        }
    }
}
