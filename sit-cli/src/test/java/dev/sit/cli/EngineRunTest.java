package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sit.core.config.ConfigException;
import dev.sit.core.data.LatentShardWriter;
import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.RunOutcome;
import dev.sit.core.engine.SitEngine;
import dev.sit.core.io.NpyFile;
import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine through its public API ({@link SitEngine}) and through {@code sit run}: periodic EMA
 * grids during training that leave the losses untouched, resuming from a reference {@code train.py}
 * checkpoint, and failures before training that leave no run folder.
 */
class EngineRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A tiny pixel-space SiT on shapes, starting from fixed weights (so that runs compare exactly). */
    private Path tinyShapesExperiment(String name) throws Exception {
        SitConfig config = new SitConfig(32, 1, 2, 4, 16, 3, 10, false, 4.0, 0.1);
        Path weights = dir.resolve("init.safetensors");
        if (!Files.exists(weights)) {
            SafetensorsFile.write(weights, SitModel.initialised(config, 0).stateDict(), Map.of());
        }
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 4, input_size: 16, in_channels: 3,
                        num_classes: 10, learn_sigma: false, ckpt: %s}
                data: {source: {name: shapes, options: {size: 256}}, vae: none, num_workers: 1}
                train: {max_steps: 4, global_batch_size: 8, log_every: 1, ckpt_every: 4, lr: 1e-3}
                sample:
                  - {mode: ODE, method: euler, num_steps: 3, cfg_scale: 2.0, labels: [0, 1, 2, 3]}
                  - {mode: SDE, method: Euler, num_steps: 4, cfg_scale: 2.0, labels: [4, 5]}
                loggers: [metrics-file]
                results_dir: %s
                """.formatted(name, weights, dir.resolve("results-" + name)));
        return file;
    }

    private static List<Double> losses(Path runFolder) throws Exception {
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(runFolder.resolve("metrics.jsonl"))) {
            if (JSON.readTree(line).has("loss")) {
                losses.add(JSON.readTree(line).get("loss").asDouble());
            }
        }
        return losses;
    }

    @Test
    void periodicGridsGoToSamplesAndListenersAndLeaveTheLossesAsTheyWere() throws Exception {
        SitEngine engine = SitEngine.withPluginPath(List.of());
        List<String> images = new ArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void imageProduced(long step, Path file, String caption) {
                images.add(step + ":" + file.getFileName());
            }
        };
        Path recorder = Files.createDirectories(dir.resolve("plugins"));
        new dev.sit.core.plugin.PluginJarBuilder()
                .source("dev/third/RecorderPlugin.java", """
                        package dev.third;
                        import dev.sit.api.*;
                        import dev.sit.api.logging.*;
                        import java.nio.file.*;
                        import java.util.*;
                        public final class RecorderPlugin implements SitPlugin {
                            public record Options(String file) {}
                            public List<PluginFactory<?, ?>> factories() {
                                return List.of(PluginFactory.of(ExtensionPoint.METRICS_LOGGER, "recorder",
                                        "writes the key of every image to a file", Options.class, o -> new MetricsLogger() {
                                            public void start(RunContext run) {}
                                            public void logScalars(long step, Map<String, Double> scalars) {}
                                            public void logImage(long step, LoggedImage image) {
                                                try {
                                                    Files.writeString(Path.of(o.file()), step + " " + image.key() + "\\n",
                                                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                                                } catch (java.io.IOException e) {
                                                    throw new java.io.UncheckedIOException(e);
                                                }
                                            }
                                            public void finish(int exitCode) {}
                                        }));
                            }
                        }
                        """)
                .service("dev.third.RecorderPlugin")
                .build(recorder.resolve("recorder.jar"));
        RunOutcome with = SitEngine.withPluginPath(List.of(recorder)).run(SitEngine.withPluginPath(List.of(recorder))
                .load(tinyShapesExperiment("with"), List.of("train.sample_every=2",
                        "loggers=[metrics-file, {name: recorder, options: {file: " + dir.resolve("images.txt") + "}}]")),
                listener);
        RunOutcome without = engine.run(engine.load(tinyShapesExperiment("without"), List.of()), RunListener.NONE);

        Path samples = with.runFolder().orElseThrow().resolve("samples");
        assertThat(images).containsExactly(
                "2:0000002-0-euler.png", "2:0000002-1-Euler.png",
                "4:0000004-0-euler.png", "4:0000004-1-Euler.png",
                "4:ode-0-euler.png", "4:sde-1-Euler.png");
        for (String name : List.of("0000002-0-euler.png", "0000004-1-Euler.png", "ode-0-euler.png")) {
            assertThat(samples.resolve(name)).isRegularFile().isNotEmptyFile();
        }
        // every logger got the grids as images of their steps
        assertThat(Files.readAllLines(dir.resolve("images.txt"))).containsExactly(
                "2 samples/ode-0-euler", "2 samples/sde-1-Euler", "4 samples/ode-0-euler", "4 samples/sde-1-Euler",
                "4 samples/ode-0-euler", "4 samples/sde-1-Euler");

        assertThat(losses(with.runFolder().get())).hasSize(4).isEqualTo(losses(without.runFolder().orElseThrow()));
        assertThat(with.trainedToStep()).isEqualTo(4);
    }

    @Test
    void anEvalSectionWritesEvalJsonAndLogsTheMetrics() throws Exception {
        SitEngine engine = SitEngine.withPluginPath(List.of());
        Map<Long, Map<String, Double>> logged = new java.util.TreeMap<>();
        RunOutcome outcome = engine.run(engine.load(tinyShapesExperiment("eval"), List.of(
                "eval={reference: data, feature_extractor: shapes, num_samples: 12, sampler: 1}")), new RunListener() {
                    @Override
                    public void stepLogged(long step, Map<String, Double> scalars) {
                        logged.computeIfAbsent(step, s -> new java.util.LinkedHashMap<>()).putAll(scalars);
                    }
                });
        Path folder = outcome.runFolder().orElseThrow();
        var json = JSON.readTree(folder.resolve("eval.json").toFile());
        assertThat(json.get("sample_count").asLong()).isEqualTo(12);
        assertThat(json.get("reference_count").asLong()).isEqualTo(12);
        assertThat(json.get("feature_extractor").asText()).startsWith("shapes");
        for (String metric : List.of("fid", "inception_score", "precision", "recall")) {
            assertThat(json.get(metric).isNumber()).as(metric).isTrue();
            assertThat(logged.get(4L)).containsEntry("eval/" + metric, json.get(metric).asDouble());
        }
        assertThat(json.get("inception_score").asDouble()).isBetween(1.0, 10.0);
        assertThat(json.get("precision").asDouble()).isBetween(0.0, 1.0);
        // the evaluated images: sample entry 1 (SDE), mass-sampled into the run folder
        assertThat(folder.resolve("eval/sde-1-Euler.npz")).isRegularFile();
        assertThat(Files.readString(folder.resolve("metrics.jsonl"))).contains("eval/fid");
    }

    @Test
    void resumingToTrainFurtherKeepsTheEarlierEvaluationBesideTheNewOne() throws Exception {
        SitEngine engine = SitEngine.withPluginPath(List.of());
        String eval = "eval={reference: data, feature_extractor: shapes, num_samples: 8, sampler: 1}";
        Path folder = engine.run(engine.load(tinyShapesExperiment("extend"), List.of(eval)), new RunListener() {
        }).runFolder().orElseThrow();
        byte[] firstResults = Files.readAllBytes(folder.resolve("eval.json"));
        byte[] firstArchive = Files.readAllBytes(folder.resolve("eval/sde-1-Euler.npz"));

        // the quickstart's advice: continue with --resume --set train.max_steps=...
        RunOutcome more = engine.run(engine.load(tinyShapesExperiment("extend"), List.of(eval, "train.max_steps=6",
                "train.resume=" + folder.resolve("checkpoints/0000004"))), new RunListener() {
                });

        assertThat(more.runFolder()).contains(folder);
        Path earlier = folder.resolve("eval/sde-1-Euler.before-step6");
        assertThat(earlier.resolve("eval.json")).hasBinaryContent(firstResults);
        assertThat(earlier.resolve("sde-1-Euler.npz")).hasBinaryContent(firstArchive);
        try (Stream<Path> files = Files.list(folder.resolve("eval"))) {
            // the earlier archive's feature cache went with it; the new archive has its own
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".features.npz"))).hasSize(1);
        }
        try (Stream<Path> files = Files.list(earlier)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".features.npz"))).hasSize(1);
        }
        assertThat(Files.readString(earlier.resolve("sampling-settings.yaml"))).contains("training step 4");
        assertThat(Files.readString(folder.resolve("eval/sde-1-Euler/sampling-settings.yaml"))).contains("training step 6");
        assertThat(Files.readAllBytes(folder.resolve("eval/sde-1-Euler.npz"))).isNotEqualTo(firstArchive);
        assertThat(JSON.readTree(folder.resolve("eval.json").toFile()).get("sample_count").asLong()).isEqualTo(8);
    }

    @Test
    void evalNamingAMissingSampleEntryIsRefusedBeforeTheRun() throws Exception {
        SitEngine engine = SitEngine.withPluginPath(List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.load(tinyShapesExperiment("eval-bad"),
                        List.of("eval={reference: data, feature_extractor: shapes, num_samples: 4, sampler: 5}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sample: entry 5");
        assertThat(dir.resolve("results-eval-bad")).doesNotExist();
    }

    @Test
    void theFinalGridsCarryTheStepTrainingReachedNotMaxSteps() throws Exception {
        SitEngine engine = SitEngine.withPluginPath(List.of());
        List<Long> steps = new ArrayList<>();
        // one epoch of 16 examples in batches of 8: training ends at step 2, max_steps is unset
        RunOutcome outcome = engine.run(engine.load(tinyShapesExperiment("epochs"), List.of("train.max_steps=",
                "train.epochs=1", "data.source.options.size=16")), new RunListener() {
                    @Override
                    public void imageProduced(long step, Path file, String caption) {
                        steps.add(step);
                    }
                });
        assertThat(outcome.trainedToStep()).isEqualTo(2);
        assertThat(steps).containsExactly(2L, 2L);
    }

    @Test
    void sitRunContinuesAReferenceTrainPyCheckpointAtItsStepPlusOne() throws Exception {
        Path pt = Path.of(resource("/golden/train-checkpoint/0000002.pt"));
        Path shards = dir.resolve("latents");
        try (LatentShardWriter writer = new LatentShardWriter(shards, new long[] {4, 8, 8}, 10, 16, null, null)) {
            writer.append(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 4, 8, 8).subi(0.5),
                    new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5});
        }
        Path file = dir.resolve("resume.yaml");
        Files.writeString(file, """
                name: resume
                model: {hidden_size: 64, depth: 2, num_heads: 4, patch_size: 2, input_size: 8, in_channels: 4,
                        num_classes: 10, learn_sigma: true}
                data: {source: {name: latents, options: {folder: %s}}, vae: none}
                train: {max_steps: 4, global_batch_size: 4, log_every: 1, ckpt_every: 100}
                loggers: [metrics-file]
                results_dir: %s
                """.formatted(shards, dir.resolve("results")));
        CommandLineRun run = CommandLineRun.of("run", file.toString(), "--set", "train.resume=" + pt);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("resuming from " + pt + " (step 2; training continues at step 3)");
        Path folder;
        try (Stream<Path> s = Files.list(dir.resolve("results"))) {
            folder = s.findFirst().orElseThrow();
        }
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("metrics.jsonl"))) {
            if (JSON.readTree(line).has("loss")) {
                steps.add(JSON.readTree(line).get("step").asLong());
            }
        }
        assertThat(steps).containsExactly(3L, 4L);
        assertThat(folder.resolve("checkpoints/0000004/state.json")).isRegularFile();
    }

    @Test
    void aBadResumePointStopsBeforeAnythingIsWritten() throws Exception {
        Path file = tinyShapesExperiment("bad");
        Path results = dir.resolve("results-bad");
        Path notPt = Files.writeString(dir.resolve("weights.bin"), "x");
        for (String resume : List.of(dir.resolve("missing").toString(), notPt.toString(), dir.toString())) {
            CommandLineRun run = CommandLineRun.of("run", file.toString(), "--set", "train.resume=" + resume);
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("train.resume").contains(resume);
            assertThat(results).doesNotExist();
        }
        SitEngine engine = SitEngine.withPluginPath(List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.run(
                        engine.load(file, List.of("train.resume=" + dir.resolve("missing"))), RunListener.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        assertThat(results).doesNotExist();
    }

    @Test
    void aPluginsSingularDiffusionFormAndIdentityLastStepSampleAsSbdmAndNone() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        new dev.sit.core.plugin.PluginJarBuilder()
                .source("dev/third/SdePlugin.java", """
                        package dev.third;
                        import dev.sit.api.*;
                        import dev.sit.api.sampling.*;
                        import dev.sit.api.transport.PathCoefficients;
                        import java.util.List;
                        public final class SdePlugin implements SitPlugin {
                            public List<PluginFactory<?, ?>> factories() {
                                DiffusionForm spiky = new DiffusionForm() {
                                    public double diffusion(PathCoefficients c, double norm) { return norm * c.driftVar(); }
                                    public boolean singularAtStart() { return true; }
                                };
                                LastStep keep = new LastStep() {
                                    public LastStepCoefficients coefficients(PathCoefficients c, double h) {
                                        return LastStepCoefficients.IDENTITY;
                                    }
                                    public boolean isIdentity() { return true; }
                                };
                                return List.of(
                                    PluginFactory.of(ExtensionPoint.DIFFUSION_FORM, "spiky", "SBDM by another name", () -> spiky),
                                    PluginFactory.of(ExtensionPoint.LAST_STEP, "keep", "x as it is", () -> keep));
                            }
                        }
                        """)
                .service("dev.third.SdePlugin")
                .build(plugins.resolve("sde-plugin.jar"));
        Path bundled = dir.resolve("bundled.npy");
        Path third = dir.resolve("third.npy");
        // recorded initial states and SDE noise: the comparison is about the plugins, not the generator
        Path z = dir.resolve("z.npy");
        Path replay = dir.resolve("replay.npy");
        NpyFile.write(z, Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 4, 8, 8));
        NpyFile.write(replay, Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 2, 4, 8, 8));
        CommandLineRun a = CommandLineRun.of(SampleCommandTest.tiny("SDE", "--diffusion-form", "SBDM", "--last-step",
                "None", "--path-type", "VP", "--num-sampling-steps", "5", "--labels", "3,7", "--noise", z.toString(),
                "--noise-replay", replay.toString(), "--save-npy", bundled.toString()));
        assertThat(a.exitCode()).as(a.err()).isZero();

        CommandLineRun b = CommandLineRun.of(SampleCommandTest.tiny("SDE", "--plugins", plugins.toString(),
                "--diffusion-form", "spiky", "--last-step", "keep", "--path-type", "VP", "--num-sampling-steps", "5", "--labels", "3,7",
                "--noise", z.toString(), "--noise-replay", replay.toString(),
                "--save-npy", third.toString()));
        assertThat(b.exitCode()).as(b.err()).isZero();
        INDArray expected = NpyFile.read(bundled);
        INDArray actual = NpyFile.read(third);
        assertThat(expected.isInfinite().any() || expected.isNaN().any()).isFalse();
        assertThat(actual).isEqualTo(expected);
    }

    private static java.net.URI resource(String name) throws URISyntaxException {
        return EngineRunTest.class.getResource(name).toURI();
    }
}
