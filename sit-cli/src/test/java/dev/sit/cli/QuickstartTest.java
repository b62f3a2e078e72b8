package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sit.core.data.ClassRecognition;
import dev.sit.core.data.ShapeCleanliness;
import dev.sit.core.data.ShapesClassifier;
import dev.sit.core.io.NpyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The README's main command, {@code sit run experiments/quickstart.yaml}, as the README runs it:
 * it trains a small SiT on {@code shapes} and both of its sampler settings (ODE and SDE) draw
 * class-conditional samples that a nearest-prototype classifier on colour and shape statistics
 * ({@link ShapesClassifier}) recognises as their intended class far above chance (1/10), with
 * flat fills and a clean background ({@link ShapeCleanliness}) that the speckled blobs of the
 * velocity-predicting quickstart never had (0 clean, fill roughness 0.11-0.14).
 */
class QuickstartTest {

    /** The quickstart's whole schedule, as the README runs it. */
    static final int STEPS = 650;

    /**
     * Five times chance. Measured (seed 0, 100 samples per sampler): ODE 0.75, SDE
     * 0.73. An untrained or label-blind model scores about 0.1.
     */
    static final double MIN_RECOGNISED = 0.5;

    /**
     * Samples that look like a clean rendered shape (one shape, flat fill, flat background). Measured:
     * ODE 0.58, SDE 0.67 (the eval stage's 100 ODE samples 0.54); every real shape is clean. The 4x4-patch
     * quickstart before it scored 0.23, 0.28 and 0.31 (textured fills), the velocity-predicting one 0.
     */
    static final double MIN_CLEAN = 0.35;

    /**
     * Mean fill roughness (mean absolute deviation of a fill from its colour, in [0, 1]). Measured:
     * ODE 0.024, SDE 0.024 (flat: below {@link ShapeCleanliness#FLAT}); real shapes below 0.01, the 4x4-patch
     * quickstart 0.064 and 0.041, the velocity-predicting one 0.11-0.14.
     */
    static final double MAX_FILL_ROUGHNESS = 0.035;

    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path results;

    @Test
    void shortQuickstartDrawsRecognisableClassesWithOdeAndSde() throws Exception {
        CommandLineRun run = CommandLineRun.of("run", "../experiments/quickstart.yaml",
                "--set", "train.max_steps=" + STEPS,
                "--set", "results_dir=" + results);
        assertThat(run.exitCode()).as("sit run:%n%s", run.err()).isZero();

        Path folder;
        try (Stream<Path> s = Files.list(results)) {
            List<Path> folders = s.toList();
            assertThat(folders).hasSize(1);
            folder = folders.get(0);
        }
        assertThat(folder.getFileName().toString()).isEqualTo("000-quickstart");
        for (String name : List.of("experiment.yaml", "log.txt", "metrics.jsonl", "loss.png")) {
            assertThat(folder.resolve(name)).as(name).isRegularFile().isNotEmptyFile();
        }
        assertThat(folder.resolve("samples")).isDirectory();
        assertThat(folder.resolve("checkpoints")).isDirectory();
        try (Stream<Path> s = Files.list(folder.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).contains(String.format("%07d", STEPS));
        }
        assertThat(Files.readString(folder.resolve("experiment.yaml"))).contains("max_steps: " + STEPS);
        assertThat(Files.readAllLines(folder.resolve("metrics.jsonl"))).isNotEmpty();
        assertThat(Files.readString(folder.resolve("log.txt"))).contains("(step=" + String.format("%07d", STEPS) + ")");

        // the sampler settings as the run resolved them: mode, method and labels of each
        JsonNode samplers = YAML.readTree(folder.resolve("experiment.yaml").toFile()).path("sample");
        assertThat(samplers.size()).as("sampler settings").isEqualTo(2);
        assertThat(samplers.get(0).path("mode").asText()).isEqualTo("ODE");
        assertThat(samplers.get(1).path("mode").asText()).isEqualTo("SDE");
        ShapesClassifier classifier = ShapesClassifier.fit(32, 60);
        for (int k = 0; k < samplers.size(); k++) {
            JsonNode sampler = samplers.get(k);
            JsonNode method = sampler.path("method");
            String name = sampler.path("mode").asText().toLowerCase(java.util.Locale.ROOT) + "-" + k + "-"
                    + (method.isTextual() ? method.asText() : method.path("name").asText());
            Path png = folder.resolve("samples").resolve(name + ".png");
            Path npy = folder.resolve("samples").resolve(name + ".npy");
            assertThat(png).as(png.toString()).isRegularFile();
            INDArray samples = NpyFile.read(npy);
            long[] labels = new long[sampler.path("labels").size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = sampler.path("labels").get(i).asLong();
            }
            assertThat(java.util.Arrays.stream(labels).distinct().count()).as("labels cover every class").isEqualTo(10);
            assertThat(samples.shape()).containsExactly(labels.length, 3, 32, 32);
            ClassRecognition r = classifier.recognize(samples, labels);
            System.out.printf("quickstart at %d steps, %s: %.3f recognised%n", STEPS, name, r.fraction());
            assertThat(r.fraction()).as("%s: fraction of samples recognised as their intended class", name)
                    .isGreaterThanOrEqualTo(MIN_RECOGNISED);
            INDArray cleanliness = ShapeCleanliness.of(samples);
            double clean = cleanliness.getColumn(ShapeCleanliness.CLEAN).meanNumber().doubleValue();
            double fill = cleanliness.getColumn(ShapeCleanliness.FILL).meanNumber().doubleValue();
            System.out.printf("quickstart %s: %.2f clean, fill roughness %.4f%n", name, clean, fill);
            assertThat(clean).as("%s: fraction of clean samples", name).isGreaterThanOrEqualTo(MIN_CLEAN);
            assertThat(fill).as("%s: mean fill roughness", name).isLessThanOrEqualTo(MAX_FILL_ROUGHNESS);
        }

        // the eval: stage scored the ODE sampler's images against real shapes with the bundled extractor
        JsonNode eval = new com.fasterxml.jackson.databind.ObjectMapper().readTree(folder.resolve("eval.json").toFile());
        System.out.printf("quickstart at %d steps: eval %s%n", STEPS, eval);
        assertThat(eval.path("feature_extractor").asText()).startsWith("shapes");
        assertThat(eval.path("sample_count").asLong()).isEqualTo(100);
        assertThat(eval.path("fid").asDouble()).isFinite().isPositive();
        // ten classes: an Inception Score of 1 means one class for everything, 10 all ten equally and surely
        assertThat(eval.path("inception_score").asDouble()).isBetween(1.0, 10.0);
        // the cleanliness scores of the shapes extractor: every real shape is clean, and so are some samples
        assertThat(eval.path("reference_clean").asDouble()).isEqualTo(1.0);
        assertThat(eval.path("clean").asDouble()).isGreaterThanOrEqualTo(MIN_CLEAN);
        assertThat(run.err()).contains("evaluation (shapes");
    }
}
