package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.io.NpyFile;
import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.sampling.SeededNoise;
import dev.sit.core.train.TinySetup;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code sit sample}: the end-to-end-tiny golden through the command, likelihood, replay, validation. */
class SampleCommandTest {

    /** The end-to-end-tiny model: custom size, input 8, 4 channels, 10 classes. */
    static final String[] TINY = {"--hidden-size", "64", "--depth", "2", "--num-heads", "4", "--patch-size", "2",
        "--input-size", "8", "--num-classes", "10"};

    @TempDir
    Path dir;

    @TempDir
    static Path gridDir;

    static Path golden(String file) {
        try {
            return Path.of(SampleCommandTest.class.getResource("/golden/end-to-end-tiny/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] args(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    static String[] tiny(String mode, String... more) {
        List<String> all = new ArrayList<>(List.of("sample", mode));
        all.addAll(List.of(TINY));
        all.addAll(List.of("--ckpt", golden("model.pt").toString()));
        all.addAll(List.of(more));
        if (gridDir != null && !all.contains("--output") && !all.contains("--likelihood")) {
            // never the default sample.png in the working directory
            all.addAll(List.of("--output", gridDir.resolve("grid.png").toString()));
        }
        if (!all.contains("--vae") && !all.contains("--decode")) {
            // the latents stay latents: no SD VAE in unit tests
            all.addAll(List.of("--decode", "none"));
        }
        return all.toArray(new String[0]);
    }

    /** |a - e| <= atol + rtol |e| everywhere (the manifest's rule; the expected values are finite). */
    static void assertClose(INDArray actual, INDArray expected, double rtol, double atol) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray excess = Transforms.abs(a.sub(e)).subi(Transforms.abs(e).muli(rtol).addi(atol));
        assertThat(excess.maxNumber().doubleValue()).as("max of |a-e| - (atol + rtol |e|)").isLessThanOrEqualTo(0.0);
    }

    @Test
    void endToEndTinyGoldenIsReproducedThroughSitSample() throws Exception {
        Path out = dir.resolve("out.npy");
        Path traj = dir.resolve("traj.npy");
        CommandLineRun run = CommandLineRun.of(tiny("ODE", "--sampling-method", "euler", "--num-sampling-steps", "6",
                "--cfg-scale", "1", "--noise", golden("z.npy").toString(), "--labels", golden("y.npy").toString(),
                "--save-npy", out.toString(), "--save-trajectory", traj.toString(), "--output", dir.resolve("g.png").toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertClose(NpyFile.read(out), NpyFile.read(golden("sample.npy")), 1e-4, 1e-5);
        assertClose(NpyFile.read(traj), NpyFile.read(golden("traj.npy")), 1e-4, 1e-5);
        // what num_steps cost: 5 Euler steps on the 6-point grid, one model call each
        assertThat(run.err()).contains("NFE 5 (5 steps accepted, 0 rejected)").contains("num_steps 6: 5 steps");
        // 4-channel latents cannot be a PNG grid without the VAE: said, and no grid written
        assertThat(run.err()).contains("latents");
        assertThat(dir.resolve("g.png")).doesNotExist();
    }

    @Test
    void labelsAsCommaListEqualTheLabelsFile() throws Exception {
        Path out = dir.resolve("out.npy");
        CommandLineRun run = CommandLineRun.of(tiny("ODE", "--sampling-method", "euler", "--num-sampling-steps", "6",
                "--cfg-scale", "1", "--noise", golden("z.npy").toString(), "--labels", "3,7", "--save-npy", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertClose(NpyFile.read(out), NpyFile.read(golden("sample.npy")), 1e-4, 1e-5);
    }

    @Test
    void guidanceDoublesTheBatchInsideAndChangesTheSamples() throws Exception {
        Path plain = dir.resolve("plain.npy");
        Path guided = dir.resolve("guided.npy");
        String[] common = {"--sampling-method", "euler", "--num-sampling-steps", "6", "--noise",
            golden("z.npy").toString(), "--labels", "3,7"};
        assertThat(CommandLineRun.of(args(tiny("ODE", common), "--cfg-scale", "1", "--save-npy", plain.toString()))
                .exitCode()).isZero();
        CommandLineRun run = CommandLineRun.of(args(tiny("ODE", common), "--cfg-scale", "4", "--save-npy", guided.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        INDArray g = NpyFile.read(guided);
        INDArray p = NpyFile.read(plain);
        // z holds 2 samples; the guided run returns 2 (the doubling is internal)
        assertThat(g.shape()).isEqualTo(new long[] {2, 4, 8, 8});
        // guidance acts on the first 3 channels only (the reference's rule); channel 3 follows them
        assertThat(Transforms.abs(g.sub(p)).maxNumber().doubleValue()).isGreaterThan(1e-3);
        assertThat(run.err()).contains("doubled batch");
    }

    @Test
    void likelihoodLatentIsTheReverseOdeAndBitsPerDimFollowFromLogLikelihood() throws Exception {
        Path reverse = dir.resolve("reverse.npy");
        Path lik = dir.resolve("lik.npy");
        String[] common = {"--sampling-method", "euler", "--num-sampling-steps", "6", "--noise",
            golden("sample.npy").toString(), "--labels", "3,7"};
        CommandLineRun r = CommandLineRun.of(args(tiny("ODE", common), "--reverse", "--cfg-scale", "1",
                "--save-npy", reverse.toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        CommandLineRun l = CommandLineRun.of(tiny("ODE", args(common, "--likelihood", "--save-npy", lik.toString())));
        assertThat(l.exitCode()).as(l.err()).isZero();
        // the x part of the augmented ODE is the reverse probability-flow ODE (same fixed grid)
        INDArray z = NpyFile.read(lik);
        assertClose(z, NpyFile.read(reverse), 1e-4, 1e-5);
        // reversing the golden sample's forward Euler run with Euler lands near (not on) the golden noise
        assertThat(Transforms.abs(z.sub(NpyFile.read(golden("z.npy")))).meanNumber().doubleValue()).isLessThan(0.5);
        INDArray logp = NpyFile.read(dir.resolve("lik-logp.npy"));
        INDArray bpd = NpyFile.read(dir.resolve("lik-bpd.npy"));
        long n = 4 * 8 * 8;
        assertThat(logp.shape()).isEqualTo(new long[] {2});
        for (int i = 0; i < 2; i++) {
            assertThat((double) bpd.getFloat(i)).isCloseTo(-logp.getFloat(i) / (n * Math.log(2)), org.assertj.core.data.Offset.offset(1e-4));
            // logp = prior(z) - delta_logp; the prior part alone bounds nothing, but it must be finite
            assertThat(Double.isFinite(logp.getFloat(i))).isTrue();
        }
        assertThat(l.err()).contains("bits/dim").contains("NFE 5").contains("5 forward + 5 vector-Jacobian products");
    }

    @Test
    void likelihoodWithGuidanceIsAValidationErrorNamingTheFlag() {
        CommandLineRun run = CommandLineRun.of(tiny("ODE", "--likelihood", "--cfg-scale", "4", "--labels", "3,7"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot be combined with guidance").contains("--cfg-scale 1");
    }

    @Test
    void validationProblemsNameTheFlags() {
        CommandLineRun run = CommandLineRun.of(tiny("ODE", "--num-sampling-steps", "1", "--path-type", "GPV"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("2 problems")
                .contains("--num-sampling-steps 1: sample.num_steps: value 1 is out of range")
                .contains("--path-type GPV: transport.path: unknown interpolant 'GPV' (did you mean GVP?)");
        CommandLineRun labels = CommandLineRun.of(tiny("ODE", "--labels", "3,70"));
        assertThat(labels.exitCode()).isEqualTo(2);
        assertThat(labels.err()).contains("--labels 3,70: sample.labels.1: label 70 is outside [0, 9]");
        CommandLineRun defaults = CommandLineRun.of(tiny("ODE"));
        assertThat(defaults.exitCode()).isEqualTo(2);
        assertThat(defaults.err()).contains("label 207 is outside [0, 9]").contains("give --labels");
        CommandLineRun sde = CommandLineRun.of(tiny("SDE", "--atol", "1e-5"));
        assertThat(sde.exitCode()).isEqualTo(2);
        assertThat(sde.err()).contains("--atol is for ODE sampling only");
    }

    @Test
    void helpListsTheReferenceFlags() {
        CommandLineRun run = CommandLineRun.of("sample", "--help");
        assertThat(run.exitCode()).isZero();
        for (String flag : List.of("--model", "--ckpt", "--image-size", "--num-classes", "--cfg-scale",
                "--num-sampling-steps", "--seed", "--sampling-method", "--atol", "--rtol", "--reverse", "--likelihood",
                "--diffusion-form", "--diffusion-norm", "--last-step", "--last-step-size", "--path-type", "--prediction",
                "--loss-weight", "--train-eps", "--sample-eps", "--noise", "--labels", "--noise-replay", "--save-npy",
                "--decode", "--experiment", "--plugins", "--num-fid-samples", "--per-proc-batch-size")) {
            assertThat(run.out()).contains(flag);
        }
    }

    @Test
    void toleranceFlagsReachAnAdaptiveSolverAndAreIgnoredByEuler() throws Exception {
        String[] common = {"--noise", golden("z.npy").toString(), "--labels", "3,7", "--cfg-scale", "1",
            "--num-sampling-steps", "2"};
        CommandLineRun loose = CommandLineRun.of(args(tiny("ODE", common), "--atol", "1e-2", "--rtol", "1e-2"));
        CommandLineRun tight = CommandLineRun.of(args(tiny("ODE", common), "--atol", "1e-7", "--rtol", "1e-7"));
        assertThat(loose.exitCode()).as(loose.err()).isZero();
        assertThat(tight.exitCode()).as(tight.err()).isZero();
        assertThat(nfe(tight.err())).isGreaterThan(nfe(loose.err()));
        assertThat(loose.err()).contains("adaptive solver chose its own steps");
        CommandLineRun euler = CommandLineRun.of(args(tiny("ODE", common), "--sampling-method", "euler", "--atol", "1e-2"));
        assertThat(euler.exitCode()).as(euler.err()).isZero();
        assertThat(euler.err()).contains("--atol/--rtol are ignored by euler");
    }

    private static long nfe(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("NFE (\\d+)").matcher(log);
        assertThat(m.find()).as(log).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void sdeReplayingTheSeededDrawsEqualsTheSeededRun() throws Exception {
        long seed = 5;
        int steps = 4;
        Path seeded = dir.resolve("seeded.npy");
        Path replayed = dir.resolve("replayed.npy");
        String[] common = {"--noise", golden("z.npy").toString(), "--labels", "3,7",
            "--num-sampling-steps", String.valueOf(steps), "--seed", String.valueOf(seed), "--last-step", "Mean"};
        CommandLineRun a = CommandLineRun.of(args(tiny("SDE", common), "--cfg-scale", "1", "--save-npy", seeded.toString()));
        assertThat(a.exitCode()).as(a.err()).isZero();
        // the SDE noise of a seeded run is SeededNoise(seed + 1), one (2, 4, 8, 8) draw per step
        SeededNoise noise = new SeededNoise(seed + 1);
        INDArray[] draws = new INDArray[steps - 1];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = noise.next(2, 4, 8, 8);
        }
        Path recorded = dir.resolve("noise.npy");
        NpyFile.write(recorded, Nd4j.stack(0, draws));
        CommandLineRun b = CommandLineRun.of(args(tiny("SDE", common), "--cfg-scale", "1", "--noise-replay",
                recorded.toString(), "--save-npy", replayed.toString()));
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(NpyFile.read(replayed).equalsWithEps(NpyFile.read(seeded), 0)).isTrue();
        // 3 Euler-Maruyama steps + the Mean last step, one model call each
        assertThat(b.err()).contains("NFE 4 (3 steps accepted, 0 rejected)").contains("3 noise draws");
        // a reference guided run records noise for [z; z]; only the first half reaches the samples
        Path guidedSeeded = dir.resolve("guided-seeded.npy");
        Path guidedReplayed = dir.resolve("guided-replayed.npy");
        CommandLineRun g1 = CommandLineRun.of(args(tiny("SDE", common), "--cfg-scale", "3", "--save-npy",
                guidedSeeded.toString()));
        assertThat(g1.exitCode()).as(g1.err()).isZero();
        INDArray[] doubled = new INDArray[steps - 1];
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] = Nd4j.concat(0, draws[i], Nd4j.randn(DataType.FLOAT, 2, 4, 8, 8));
        }
        NpyFile.write(recorded, Nd4j.stack(0, doubled));
        CommandLineRun g2 = CommandLineRun.of(args(tiny("SDE", common), "--cfg-scale", "3", "--noise-replay",
                recorded.toString(), "--save-npy", guidedReplayed.toString()));
        assertThat(g2.exitCode()).as(g2.err()).isZero();
        assertThat(NpyFile.read(guidedReplayed).equalsWithEps(NpyFile.read(guidedSeeded), 0)).isTrue();
        // too few recorded draws: a clear error
        NpyFile.write(recorded, Nd4j.stack(0, draws[0], draws[1]));
        CommandLineRun c = CommandLineRun.of(args(tiny("SDE", common), "--cfg-scale", "1", "--noise-replay",
                recorded.toString()));
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.err()).contains("has only 2 draws");
    }

    @Test
    void experimentFileGivesModelAndSamplerAndFlagsOverrideIt() throws Exception {
        Path experiment = dir.resolve("tiny.yaml");
        Files.writeString(experiment, """
                name: tiny
                seed: 1
                model: {hidden_size: 64, depth: 2, num_heads: 4, patch_size: 2, input_size: 8, num_classes: 10}
                train: {max_steps: 10}
                sample:
                  - {mode: SDE, num_steps: 3}
                  - {mode: ODE, method: euler, num_steps: 4, cfg_scale: 1.0, labels: [3, 7]}
                """);
        Path out = dir.resolve("out.npy");
        // the ODE entry is taken (euler, no guidance, labels 3,7); the flag sets num_steps back to the golden's 6
        CommandLineRun run = CommandLineRun.of("sample", "ODE", "--experiment", experiment.toString(), "--ckpt",
                golden("model.pt").toString(), "--noise", golden("z.npy").toString(), "--num-sampling-steps", "6",
                "--save-npy", out.toString(), "--output", dir.resolve("g.png").toString(), "--decode", "none");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertClose(NpyFile.read(out), NpyFile.read(golden("sample.npy")), 1e-4, 1e-5);
        assertThat(run.err()).contains("NFE 5 (5 steps accepted, 0 rejected)");
    }

    @Test
    void sitRunRunsMassSamplingLikelihoodAndTrajectoriesFromTheYaml() throws Exception {
        Path ckpt = TinySetup.pixelModel(dir);
        Path experiment = dir.resolve("stage.yaml");
        Files.writeString(experiment, """
                name: stage
                results_dir: %s
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 2, input_size: 8, in_channels: 3, num_classes: 5}
                loggers: []
                sample:
                  - {mode: ODE, method: euler, num_steps: 3, num_fid_samples: 3, per_proc_batch_size: 2, ckpt: %s}
                  - {mode: ODE, method: euler, num_steps: 3, likelihood: true, labels: [1, 2], save_npy: true, ckpt: %s}
                  - {mode: SDE, num_steps: 3, labels: [0, 1, 2, 3], keep_trajectory: true, save_npy: true, ckpt: %s}
                """.formatted(dir.resolve("results"), ckpt, ckpt, ckpt));
        CommandLineRun run = CommandLineRun.of("run", experiment.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path samples;
        try (var folders = Files.list(dir.resolve("results"))) {
            samples = folders.findFirst().orElseThrow().resolve("samples");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(samples.resolve("ode-0-euler").resolve(String.format("%06d.png", i))).isRegularFile();
        }
        assertThat(samples.resolve("ode-0-euler.npz")).isRegularFile();
        assertThat(NpyFile.read(samples.resolve("ode-1-euler-logp.npy")).shape()).isEqualTo(new long[] {2});
        // pixel data: bits/dim of the 8-bit values = -logp / (N ln 2) + log2(127.5)
        INDArray logp = NpyFile.read(samples.resolve("ode-1-euler-logp.npy"));
        INDArray bpd = NpyFile.read(samples.resolve("ode-1-euler-bpd.npy"));
        assertThat((double) bpd.getFloat(0)).isCloseTo(-logp.getFloat(0) / (3 * 8 * 8 * Math.log(2))
                + Math.log(127.5) / Math.log(2), org.assertj.core.data.Offset.offset(1e-4));
        INDArray last = NpyFile.read(samples.resolve("sde-2-Euler.npy"));
        INDArray trajectory = NpyFile.read(samples.resolve("sde-2-Euler-trajectory.npy"));
        // initial noise, 2 Euler-Maruyama steps, the Mean last step
        assertThat(trajectory.shape()).isEqualTo(new long[] {4, 4, 3, 8, 8});
        assertThat(trajectory.get(org.nd4j.linalg.indexing.NDArrayIndex.point(3)).equalsWithEps(last, 0)).isTrue();
        assertThat(samples.resolve("sde-2-Euler.png")).isRegularFile();
        assertThat(run.err()).contains("NFE 3 (2 steps accepted, 0 rejected)");
    }

    /** A tiny SD-VAE-shaped autoencoder (4 latent channels, factor 4) with random weights, as a diffusers folder. */
    static Path tinyVae(Path dir) throws Exception {
        String json = """
                {"_class_name": "AutoencoderKL", "in_channels": 3, "out_channels": 3,
                 "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
                 "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"],
                 "block_out_channels": [32, 64, 64], "layers_per_block": 1, "act_fn": "silu", "latent_channels": 4,
                 "norm_num_groups": 32, "sample_size": 16, "scaling_factor": 0.18215}
                """;
        Path folder = Files.createDirectories(dir.resolve("tiny-vae"));
        Files.writeString(folder.resolve("config.json"), json);
        dev.sit.core.vae.VaeConfig config = dev.sit.core.vae.VaeConfig.fromDiffusersConfig(folder.resolve("config.json"));
        SafetensorsFile.write(folder.resolve("diffusion_pytorch_model.safetensors"),
                dev.sit.core.vae.VaeWeights.random(config, 3, 0.05).tensors(), Map.of());
        return folder;
    }

    @Test
    void latentsAreDecodedWithTheVaeIntoTheGrid() throws Exception {
        Path vae = tinyVae(dir);
        Path out = dir.resolve("latents.npy");
        Path png = dir.resolve("grid.png");
        CommandLineRun run = CommandLineRun.of(tiny("ODE", "--sampling-method", "euler", "--num-sampling-steps", "6",
                "--cfg-scale", "1", "--noise", golden("z.npy").toString(), "--labels", "3,7", "--vae", vae.toString(),
                "--save-npy", out.toString(), "--output", png.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        // --save-npy keeps the raw latents; the grid shows their decoding: 2 images of 3 x 32 x 32 (factor 4)
        INDArray latents = NpyFile.read(out);
        assertClose(latents, NpyFile.read(golden("sample.npy")), 1e-4, 1e-5);
        INDArray images = new dev.sit.core.vae.AutoencoderKl(dev.sit.core.vae.VaeWeights.load(vae)).decode(latents);
        assertThat(images.shape()).isEqualTo(new long[] {2, 3, 32, 32});
        byte[] expected = dev.sit.core.image.ImageGrid.withColumns(2).png(images).png();
        assertThat(Files.readAllBytes(png)).isEqualTo(expected);
    }

    @Test
    void aMissingVaeFailsBeforeSamplingAndSaysHowToSkipIt() throws Exception {
        String before = System.getProperty("sit.vae.dir");
        System.setProperty("sit.vae.dir", dir.resolve("no-vaes").toString());
        try {
            // latent model, no --decode: the reference's default, sd-vae-ft-mse, which is not on this machine
            List<String> all = new ArrayList<>(List.of("sample", "ODE"));
            all.addAll(List.of(TINY));
            all.addAll(List.of("--ckpt", golden("model.pt").toString(), "--labels", "3,7"));
            CommandLineRun run = CommandLineRun.of(all.toArray(new String[0]));
            // the user's setup lacks the weights: their input, exit 2 (the error contract)
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("sd-vae-ft-mse").contains("--decode none").doesNotContain("NFE");
        } finally {
            if (before == null) {
                System.clearProperty("sit.vae.dir");
            } else {
                System.setProperty("sit.vae.dir", before);
            }
        }
    }

    static final String[] PIXEL = {"--hidden-size", "32", "--depth", "1", "--num-heads", "2", "--patch-size", "2",
        "--image-size", "8", "--in-channels", "3", "--num-classes", "5"};
}
