package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiments/fashion-mnist.yaml} trains: in a short run the training loss (from
 * metrics.jsonl) falls clearly. Needs the Debian package dataset-fashion-mnist (CI installs it);
 * skipped without it.
 */
class FashionMnistTrainingTest {

    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final int STEPS = 60;
    private static final int LOG_EVERY = 10;

    @TempDir
    Path results;

    @Test
    void theLossFallsInAShortRun() throws Exception {
        assumeTrue(Files.isRegularFile(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))
                        || Files.isRegularFile(FASHION_MNIST.resolve("train-images-idx3-ubyte")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        CommandLineRun run = CommandLineRun.of("run", "../experiments/fashion-mnist.yaml",
                "--set", "train.max_steps=" + STEPS,
                "--set", "train.log_every=" + LOG_EVERY,
                "--set", "train.global_batch_size=32",
                "--set", "sample=[]",
                "--set", "results_dir=" + results);
        assertThat(run.exitCode()).as("sit run:%n%s", run.err()).isZero();

        Path folder;
        try (Stream<Path> s = Files.list(results)) {
            folder = s.findFirst().orElseThrow();
        }
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("metrics.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            assertThat(Double.isFinite(row.path("loss").asDouble())).as("finite loss in %s", line).isTrue();
            losses.add(row.path("loss").asDouble());
        }
        assertThat(losses).hasSize(STEPS / LOG_EVERY);
        double first = losses.get(0);
        double last = (losses.get(losses.size() - 1) + losses.get(losses.size() - 2)) / 2;
        System.out.printf("fashion-mnist: loss %.4f over steps 1-%d, %.4f over the last %d steps; all %s%n",
                first, LOG_EVERY, last, 2 * LOG_EVERY, losses);
        // measured (seed 0, batch 32, data target): 1.381 over steps 1-10, 0.455 over steps 41-60 (ratio 0.33)
        assertThat(last).as("mean loss of the last two logs vs the first (%s)", losses).isLessThan(0.7 * first);
    }
}
