package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file in {@code experiments/} validates through the CLI ({@code sit validate}, exit code 0),
 * is named after its file, and comments every key it sets.
 */
class ExperimentFilesTest {

    private static final Path EXPERIMENTS = Path.of("..", "experiments");
    private static final Pattern KEY_LINE = Pattern.compile("^\\s*(- )?[a-z_0-9]+:.*");

    @Test
    void theShippedExperimentsArePresent() throws IOException {
        assertThat(files()).extracting(p -> p.getFileName().toString()).contains(
                "quickstart.yaml", "fashion-mnist.yaml", "xl2-linear-velocity.yaml", "xl2-linear-noise.yaml",
                "xl2-gvp-velocity.yaml", "xl2-vp-score.yaml", "sample-xl2-ode.yaml", "sample-xl2-sde.yaml");
    }

    @TestFactory
    Stream<DynamicTest> everyExperimentValidates() throws IOException {
        return files().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            CommandLineRun run = CommandLineRun.of("validate", file.toString());
            assertThat(run.exitCode()).as("sit validate %s:%n%s", file, run.err()).isZero();
            assertThat(run.out() + run.err()).contains("valid");
            String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            assertThat(Files.readAllLines(file)).as("name: %s (the file's name) in %s", stem, file)
                    .anyMatch(l -> l.matches("name: " + Pattern.quote(stem) + "(\\s+#.*)?"));
        }));
    }

    @Test
    void validateListsTheStagesAFileRuns() {
        // the quickstart trains, samples and evaluates; Fashion-MNIST has no eval: section
        assertThat(CommandLineRun.of("validate", "../experiments/quickstart.yaml").out())
                .contains("stages: train, sample, eval)");
        assertThat(CommandLineRun.of("validate", "../experiments/fashion-mnist.yaml").out())
                .contains("stages: train, sample)");
    }

    @TestFactory
    Stream<DynamicTest> everyKeyIsCommented() throws IOException {
        return files().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            List<String> uncommented = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (KEY_LINE.matcher(line).matches() && !line.contains("#")) {
                    uncommented.add((i + 1) + ": " + line);
                }
            }
            assertThat(uncommented).as("keys without a comment in %s", file).isEmpty();
        }));
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(EXPERIMENTS)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
