package dev.sit.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.eval.FeatureExtractorsPlugin;
import dev.sit.core.eval.InceptionOptions;
import dev.sit.core.eval.InceptionWeightsNotFoundException;
import dev.sit.core.eval.ShapesExtractorOptions;
import dev.sit.core.plugin.PluginOrigin;
import dev.sit.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code eval:} section: defaults, the feature extractor plugin and its checks, file:line errors, --dry-run. */
class EvalSectionTest {

    @TempDir
    Path dir;

    private ResolvedExperiment load(String yaml) {
        PluginRegistry registry = PluginRegistry.of(Map.of(new TestPlugins(), PluginOrigin.CLASS_PATH,
                new FeatureExtractorsPlugin(), PluginOrigin.CLASS_PATH));
        ExperimentLoader loader = new ExperimentLoader(List.of(), null, path -> registry);
        // eval draws its images with a sample: entry; appended last so that the lines above keep their numbers
        return loader.load(dir.resolve("exp.yaml"), YamlDocument.parse("exp.yaml", yaml + "sample: {mode: ODE}\n"),
                List.of());
    }

    private ConfigException problems(String yaml) {
        try {
            load(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected validation problems");
    }

    @Test
    void shapesEvaluationAgainstTheDataGetsAdmDefaults() {
        ResolvedExperiment r = load("""
                name: q
                data:
                  source: folder
                eval:
                  reference: data
                  feature_extractor: shapes
                  num_samples: 1000
                """);
        EvalSection e = r.experiment().eval();
        assertThat(e.referencesData()).isTrue();
        assertThat(e.splitSize()).isEqualTo(5000);
        assertThat(e.nearestK()).isEqualTo(3);
        assertThat(e.cacheReference()).isTrue();
        assertThat(r.plugins().get("eval.feature_extractor").options()).isEqualTo(new ShapesExtractorOptions(200));
        assertThat(ExperimentTree.toYaml(r)).contains("eval:").contains("feature_extractor:").contains("name: shapes")
                .contains("per_class: 200").contains("num_samples: 1000");
    }

    @Test
    void inceptionWithoutWeightsSaysWhereToDownloadThemAtItsLine() throws IOException {
        Files.writeString(dir.resolve("ref.npz"), "");
        ConfigException e = problems("""
                name: q
                eval:
                  reference: ref.npz
                  feature_extractor:
                    name: inception
                    options: {preprocess: adm}
                """);
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).toString()).startsWith("exp.yaml:5:")
                .contains(InceptionWeightsNotFoundException.DOWNLOAD_URL);
    }

    @Test
    void inceptionOptionsAreBoundAndChecked() throws IOException {
        Path weights = Files.writeString(dir.resolve("pt_inception.pth"), "");
        Files.writeString(dir.resolve("ref.npz"), "");
        ResolvedExperiment r = load("name: q\neval:\n  reference: ref.npz\n  feature_extractor:\n    name: inception\n"
                + "    options: {weights: " + weights + ", preprocess: pytorch-fid, batch: 8}\n");
        assertThat(r.plugins().get("eval.feature_extractor").options())
                .isEqualTo(new InceptionOptions(weights.toString(), "pytorch-fid", 8));
        ConfigException bad = problems("name: q\neval:\n  reference: ref.npz\n  feature_extractor:\n    name: inception\n"
                + "    options: {weights: " + weights + ", preprocess: tf}\n");
        assertThat(bad.getMessage()).contains("preprocess 'tf' is not one of adm, pytorch-fid");
    }

    @Test
    void aMissingReferenceAndAnUnknownExtractorAreReportedWithTheirLines() {
        ConfigException e = problems("""
                name: q
                eval:
                  reference: nowhere.npz
                  feature_extractor: inceptoin
                  num_samples: 1
                """);
        String all = e.getMessage();
        assertThat(all).contains("exp.yaml:5:").contains("num_samples");
        ConfigException e2 = problems("""
                name: q
                eval:
                  reference: nowhere.npz
                  feature_extractor: inceptoin
                """);
        assertThat(e2.getMessage()).contains("exp.yaml:3:").contains("nowhere.npz does not exist")
                .contains("exp.yaml:4:").contains("inceptoin").contains("inception");
    }

    @Test
    void referenceIsRequiredAndDataNeedsADataSource() {
        assertThat(problems("name: q\neval:\n  num_samples: 10\n").getMessage()).contains("eval.reference is required");
        assertThat(problems("name: q\neval:\n  reference: data\n  feature_extractor: shapes\n").getMessage())
                .contains("exp.yaml:3:").contains("no data.source");
    }
}
