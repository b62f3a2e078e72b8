package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.plugin.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party plugin under examples/plugin-example, built as its own jar and installed in a
 * plugin folder, works with no change to sit: listed, and usable in an experiment.
 */
class ExamplePluginTest {

    static final Path EXAMPLE = Path.of("..", "examples", "plugin-example");

    @TempDir
    static Path dir;
    static Path pluginFolder;

    @BeforeAll
    static void buildTheExampleJar() throws Exception {
        pluginFolder = Files.createDirectories(dir.resolve("plugins"));
        new PluginJarBuilder()
                .sourceTree(EXAMPLE.resolve("src/main/java"))
                .resourceTree(EXAMPLE.resolve("src/main/resources"))
                .build(pluginFolder.resolve("sit-plugin-example-1.0.jar"));
    }

    @Test
    void sitPluginsListsTheExampleOnlyWithItsFolder() {
        CommandLineRun without = CommandLineRun.of("plugins");
        assertThat(without.exitCode()).isZero();
        assertThat(without.out()).doesNotContain("Cosine")
                // the bundled plugins of every module, from the class path
                .contains("Linear").contains("velocity").contains("likelihood").contains("dopri5").contains("Heun")
                .contains("SBDM").contains("Tweedie").contains("console").contains("wandb").contains("shapes")
                .doesNotContain("sit-plugin-example");

        CommandLineRun with = CommandLineRun.of("plugins", "--plugins", pluginFolder.toString());
        assertThat(with.exitCode()).isZero();
        assertThat(with.out()).contains("Cosine").contains("sit-plugin-example-1.0.jar");

        CommandLineRun json = CommandLineRun.of("plugins", "--json", "--plugins", pluginFolder.toString());
        assertThat(json.out()).contains("\"name\" : \"Cosine\"").contains("\"kind\" : \"interpolant\"");
    }

    @Test
    void anExperimentNamingThePluginValidates() throws Exception {
        Path experiment = dir.resolve("cosine.yaml");
        Files.writeString(experiment, """
                name: cosine
                plugins: [plugins]
                model: {size: SiT-S/2, input_size: 8, num_classes: 10}
                transport:
                  path: Cosine
                  prediction: velocity
                """);
        CommandLineRun run = CommandLineRun.of("validate", experiment.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("valid");

        Path withoutFolder = dir.resolve("cosine-no-plugins.yaml");
        Files.writeString(withoutFolder, "name: cosine\ntransport:\n  path: cosine\n");
        CommandLineRun missing = CommandLineRun.of("validate", withoutFolder.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains(":3:9").contains("unknown interpolant 'cosine'");
    }
}
