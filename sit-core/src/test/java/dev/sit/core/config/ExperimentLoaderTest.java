package dev.sit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentLoaderTest {

    private static ResolvedExperiment load(String yaml, String... overrides) {
        ExperimentLoader loader = new ExperimentLoader(List.of(), null, path -> TestPlugins.registry());
        return loader.load(Path.of("exp.yaml"), YamlDocument.parse("exp.yaml", yaml), List.of(overrides));
    }

    private static ConfigException problems(String yaml, String... overrides) {
        try {
            load(yaml, overrides);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected validation problems");
    }

    @Test
    void aMinimalExperimentGetsTheReferenceDefaults() {
        Experiment e = load("name: tiny\ntrain:\n  max_steps: 5\ndata:\n  source: folder\n")
                .experiment();
        assertThat(e.seed()).isZero();
        assertThat(e.model().size()).isEqualTo("SiT-XL/2");
        assertThat(e.train().lr()).isEqualTo(1e-4);
        assertThat(e.train().beta2()).isEqualTo(0.999);
        assertThat(e.train().emaDecay()).isEqualTo(0.9999);
        assertThat(e.train().maxSteps()).isEqualTo(5L);
        assertThat(e.transport().path().name()).isEqualTo("Linear");
    }

    @Test
    void typedOverridesFromFlagsAreValidatedAtTheFlagAndSetBeforeThemWins() {
        ExperimentLoader loader = new ExperimentLoader(List.of(), null, path -> TestPlugins.registry());
        Overrides flags = Overrides.none()
                .with("train.lr", 2e-4, "--lr 2e-4")
                .with("sample.labels", List.of(1, 2), "--labels 1,2")
                .with("model.num_classes", 10, "--num-classes 10")
                .with("train.ema_decay", null, "--ema never given");
        ResolvedExperiment r = loader.load(Path.of("exp.yaml"), YamlDocument.parse("exp.yaml",
                "name: t\ntrain: {max_steps: 5}\ndata: {source: folder}\n"), flags.then(Overrides.parse(List.of("train.lr=3e-4"))));
        assertThat(r.experiment().train().lr()).isEqualTo(3e-4);
        assertThat(r.experiment().sample().get(0).labels()).containsExactly(1, 2);
        assertThat(r.experiment().train().emaDecay()).isEqualTo(0.9999);

        assertThatThrownBy(() -> loader.load(Path.of("exp.yaml"), YamlDocument.parse("exp.yaml", "name: t\n"),
                Overrides.none().with("model.num_classes", 10, "--num-classes 10").with("sample.labels", List.of(3, 70), "--labels 3,70")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--labels 3,70: sample.labels.1: label 70 is outside [0, 9]");
    }

    @Test
    void defaultLabelsOutsideTheClassesAreOneProblemThatSaysWhereToGiveLabels() {
        ConfigException e = problems("name: t\nmodel: {num_classes: 10}\nsample: {mode: ODE}\n");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).message()).contains("label 207 is outside [0, 9]")
                .contains("7 more of the default labels").contains("sample.labels");
    }

    @Test
    void threeMistakesAreAllReportedWithTheirLines() {
        ConfigException e = problems("""
                name: three
                model:
                  size: SiT-S/2
                train:
                  lrr: 0.001
                  global_batch_size: lots
                transport:
                  train_eps: 0.7
                """);
        assertThat(e.problems()).hasSize(3);
        assertThat(e.problems().get(0).toString())
                .startsWith("exp.yaml:5:").contains("train.lrr").contains("unknown key 'lrr'").contains("valid keys:");
        assertThat(e.problems().get(1).toString())
                .startsWith("exp.yaml:6:").contains("train.global_batch_size").contains("expected a number, got 'lots'");
        assertThat(e.problems().get(2).toString())
                .startsWith("exp.yaml:8:").contains("transport.train_eps").contains("out of range").contains("[0, 0.5)");
    }

    @Test
    void anUnknownPluginNameIsReportedWithTheChoicesAndTheLine() {
        ConfigException e = problems("""
                name: x
                transport:
                  path: Linaer
                loggers: [console, consol]
                """);
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0).toString())
                .startsWith("exp.yaml:3:9").contains("unknown interpolant 'Linaer' (did you mean Linear?)")
                .contains("available: Linear, Scaled");
        assertThat(e.problems().get(1).toString()).startsWith("exp.yaml:4:").contains("unknown logger 'consol'");
    }

    @Test
    void pluginOptionsBindToTheirRecordWithDefaultsRangesAndUnknownKeys() {
        ResolvedExperiment ok = load("""
                name: x
                transport:
                  path: {name: scaled, options: {scale: 2.5}}
                """);
        BoundPlugin<?> path = ok.plugins().get("transport.path");
        assertThat(path.name()).isEqualTo("Scaled");
        assertThat(path.options()).isEqualTo(new TestPlugins.ScaledOptions(2.5, null));

        ResolvedExperiment defaults = load("name: x\ntransport:\n  path: Scaled\n");
        assertThat(defaults.plugins().get("transport.path").options()).isEqualTo(new TestPlugins.ScaledOptions(1.0, null));

        ConfigException e = problems("""
                name: x
                transport:
                  path:
                    name: Scaled
                    options:
                      scale: -1
                      scael: 3
                """);
        assertThat(e.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .startsWith("exp.yaml:7:").contains("unknown key 'scael' (did you mean scale?)").contains("valid keys: scale, note"));
        assertThat(e.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .startsWith("exp.yaml:6:").contains("transport.path.options.scale").contains("(0, inf]"));
    }

    @Test
    void overridesReplaceValuesAndAreCitedAsSuch() {
        ResolvedExperiment r = load("name: x\ndata: {source: folder}\ntrain:\n  lr: 0.01\n", "train.lr=2e-4", "seed=7", "model.size=SiT-B/4");
        assertThat(r.experiment().train().lr()).isEqualTo(2e-4);
        assertThat(r.experiment().seed()).isEqualTo(7L);
        assertThat(r.experiment().model().size()).isEqualTo("SiT-B/4");

        ConfigException e = problems("name: x\n", "train.lr=fast");
        assertThat(e.problems().get(0).toString()).startsWith("--set train.lr=fast").contains("expected a number");
    }

    @Test
    void anUnknownSectionAnOverrideCreatesIsCitedAtTheOverrideNotTheFile() {
        ConfigException e = problems("name: x\ntrain:\n  lr: 0.01\n", "trian.lr=2e-4");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).toString())
                .isEqualTo("--set trian.lr=2e-4: trian: unknown key 'trian' (did you mean train?); valid keys: "
                        + "name, seed, model, transport, data, train, sample, eval, loggers, plugins, results_dir");
    }

    @Test
    void overridesReachIntoListsByIndex() {
        ResolvedExperiment r = load("name: x\nsample:\n  - {cfg_scale: 2.0}\n  - {cfg_scale: 3.0}\n", "sample.1.cfg_scale=5");
        assertThat(r.experiment().sample()).extracting(SampleSection::cfgScale).containsExactly(2.0, 5.0);
        ResolvedExperiment single = load("name: x\nsample: {cfg_scale: 2.0}\n", "sample.0.num_steps=9");
        assertThat(single.experiment().sample().get(0).numSteps()).isEqualTo(9);
        ConfigException e = problems("name: x\nsample: [{cfg_scale: 2.0}]\n", "sample.4.cfg_scale=1");
        assertThat(e.getMessage()).contains("--set sample.4.cfg_scale=1");
    }

    @Test
    void numbersWrittenWithoutADotAreNumbers() {
        // YAML 1.1 reads 2e-4 as a string; users mean the number
        assertThat(load("name: x\ndata: {source: folder}\ntrain:\n  lr: 2e-4\n").experiment().train().lr()).isEqualTo(2e-4);
    }

    @Test
    void crossFieldRulesAreChecked() {
        ConfigException e = problems("""
                name: x
                model:
                  num_classes: 10
                sample:
                  labels: [1, 12]
                """);
        assertThat(e.problems().get(0).toString()).startsWith("exp.yaml:5:").contains("label 12 is outside [0, 9]");

        ConfigException sizes = problems("name: x\nmodel:\n  size: SiT-M/3\n");
        assertThat(sizes.getMessage()).contains("'SiT-M/3' is not a SiT size");

        ConfigException replicas = problems("name: x\nsample:\n  likelihood: true\n  cfg_scale: 1.0\n  replicas: 2\n");
        assertThat(replicas.getMessage()).contains("runs one copy of the model; leave out replicas (--replicas), got 2");
    }

    @Test
    void yamlSyntaxErrorsHaveALocation() {
        assertThatThrownBy(() -> load("name: x\ntrain: [unclosed\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("exp.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void theResolvedTreeFillsDefaultsAndRedactsSecrets() {
        ResolvedExperiment r = load("""
                name: x
                loggers:
                  - console
                  - {name: secret, options: {project: p, api_key: abc123}}
                """);
        String yaml = ExperimentTree.toYaml(r);
        assertThat(yaml).contains("mlp_ratio: 4.0").doesNotContain("abc123").contains(ExperimentTree.REDACTED)
                .contains("name: Linear").contains("project: p");
        assertThat(ExperimentTree.toMap(r)).containsKeys("name", "seed", "model", "transport", "loggers");
    }
}
