package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.io.NpyFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import picocli.CommandLine;

/** {@code sit forward} on the golden tiny model (files from sit-core's test resources). */
class ForwardCommandTest {

    private static final String[] TINY_MODEL = {"--hidden-size", "64", "--depth", "2", "--num-heads", "4",
        "--patch-size", "2", "--input-size", "8", "--in-channels", "4", "--num-classes", "10", "--learn-sigma", "true"};

    @TempDir
    Path dir;

    private Path golden(String caseName, String file) throws IOException {
        Path p = dir.resolve(caseName + "-" + file);
        if (Files.exists(p)) {
            return p;
        }
        try (InputStream in = ForwardCommandTest.class.getResourceAsStream("/golden/" + caseName + "/" + file)) {
            assertThat(in).as("sit-core test resource golden/" + caseName + "/" + file).isNotNull();
            Files.copy(in, p);
        }
        return p;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String[] model, String... args) {
        String[] all = new String[model.length + args.length];
        System.arraycopy(model, 0, all, 0, model.length);
        System.arraycopy(args, 0, all, model.length, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SitCommand.withErrorContract(new CommandLine(new ForwardCommand()));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertClose(INDArray actual, INDArray expected) {
        double excess = Transforms.abs(actual.sub(expected)).subi(Transforms.abs(expected).muli(1e-4).addi(1e-5))
                .maxNumber().doubleValue();
        assertThat(excess).isLessThanOrEqualTo(0.0);
    }

    @Test
    void forwardWithAPtCheckpointMatchesTheReference() throws IOException {
        Path out = dir.resolve("out.npy");
        Run r = run(TINY_MODEL, "--ckpt", golden("model-tiny", "model.pt").toString(),
                "--x", golden("model-tiny", "x.npy").toString(), "--t", golden("model-tiny", "t.npy").toString(),
                "--y", golden("model-tiny", "y.npy").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote").contains("[4, 4, 8, 8]");
        assertClose(NpyFile.read(out), NpyFile.read(golden("model-tiny", "out.npy")));
    }

    @Test
    void theModelCanComeFromAnExperimentFile() throws IOException {
        Path experiment = dir.resolve("tiny.yaml");
        java.nio.file.Files.writeString(experiment, """
                name: tiny
                model: {hidden_size: 64, depth: 2, num_heads: 4, patch_size: 2, input_size: 8, in_channels: 4,
                        num_classes: 10, learn_sigma: true}
                """);
        Path out = dir.resolve("out_experiment.npy");
        Run r = run(new String[] {"--experiment", experiment.toString()}, "--ckpt", golden("model-tiny", "model.pt").toString(),
                "--x", golden("model-tiny", "x.npy").toString(), "--t", golden("model-tiny", "t.npy").toString(),
                "--y", golden("model-tiny", "y.npy").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertClose(NpyFile.read(out), NpyFile.read(golden("model-tiny", "out.npy")));
    }

    @Test
    void guidedForwardMatchesTheReference() throws IOException {
        Path out = dir.resolve("out_cfg.npy");
        Run r = run(TINY_MODEL, "--ckpt", golden("model-tiny", "model.pt").toString(),
                "--x", golden("model-tiny", "x_cfg.npy").toString(), "--t", golden("model-tiny", "t_cfg.npy").toString(),
                "--y", golden("model-tiny", "y_cfg.npy").toString(), "--cfg-scale", "4", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertClose(NpyFile.read(out), NpyFile.read(golden("model-tiny", "out_cfg.npy")));
    }

    @Test
    void trainingCheckpointUsesItsEmaWeights() throws IOException {
        Path out = dir.resolve("out_ema.npy");
        Run r = run(TINY_MODEL, "--ckpt", golden("train-checkpoint", "0000002.pt").toString(),
                "--x", golden("train-checkpoint", "x_eval.npy").toString(),
                "--t", golden("train-checkpoint", "t_eval.npy").toString(),
                "--y", golden("train-checkpoint", "y_eval.npy").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertClose(NpyFile.read(out), NpyFile.read(golden("train-checkpoint", "out_ema.npy")));
    }

    @Test
    void wrongModelFlagsNameTheSettingToChange() throws IOException {
        String[] noSigma = TINY_MODEL.clone();
        noSigma[noSigma.length - 1] = "false";
        Run r = run(noSigma, "--ckpt", golden("model-tiny", "model.pt").toString(),
                "--x", golden("model-tiny", "x.npy").toString(), "--t", golden("model-tiny", "t.npy").toString(),
                "--y", golden("model-tiny", "y.npy").toString(), "--out", dir.resolve("o.npy").toString());
        assertThat(r.code()).isEqualTo(SitCommand.EXIT_INVALID);
        assertThat(r.err()).contains("final_layer.linear.weight").contains("[32, 64]").contains("[16, 64]")
                .contains("learn_sigma");
        Run missing = run(new String[] {"--hidden-size", "64", "--depth", "2"}, "--ckpt", "x.pt", "--x", "a", "--t", "b",
                "--y", "c", "--out", "d");
        assertThat(missing.code()).isEqualTo(SitCommand.EXIT_INVALID);
        assertThat(missing.err()).contains("missing --num-heads, --patch-size");
        Run noFile = run(TINY_MODEL, "--ckpt", dir.resolve("nope.pt").toString(), "--x", golden("model-tiny", "x.npy")
                .toString(), "--t", golden("model-tiny", "t.npy").toString(), "--y", golden("model-tiny", "y.npy").toString(),
                "--out", dir.resolve("o.npy").toString());
        assertThat(noFile.err()).contains("no such file").contains("nope.pt");
    }

    @Test
    void benchRunsATinyModel() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int code = cl.execute("--hidden-size", "32", "--depth", "1", "--num-heads", "2", "--patch-size", "2",
                "--latent", "8", "--num-classes", "10", "--batch", "2", "--steps", "3", "--forward-steps", "2",
                "--warmup", "1");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("forward   : mean").contains("train step: mean").contains("images/s")
                .contains("peak resident");
    }

    @Test
    void benchOpsListsTheOpTypesThatTookTheMostTime() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] tiny = {"--hidden-size", "32", "--depth", "1", "--num-heads", "2", "--patch-size", "2", "--latent", "8",
                "--num-classes", "10", "--batch", "2", "--steps", "2", "--forward-steps", "2", "--warmup", "1"};
        int code = cl.execute(java.util.stream.Stream.concat(java.util.Arrays.stream(tiny), java.util.stream.Stream.of("--ops", "3"))
                .toArray(String[]::new));
        assertThat(code).isZero();
        String text = out.toString();
        assertThat(text).containsPattern("forward by op type \\(3 of \\d+ op types; [0-9.]+ of the step's [0-9.]+ ms")
                .containsPattern("train step by op type \\(3 of \\d+ op types");
        // a header and three rows under each table
        String train = text.substring(text.indexOf("train step by op type"));
        assertThat(train.lines().skip(2).limit(3).toList()).hasSize(3).allMatch(l -> l.matches("  \\S+ +\\d+ +[0-9.]+ +[0-9.]+%"));

        cl.setOut(new PrintWriter(new StringWriter()));
        int refused = cl.execute(java.util.stream.Stream.concat(java.util.Arrays.stream(tiny), java.util.stream.Stream.of("--ops=-1"))
                .toArray(String[]::new));
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString()).contains("--ops -1 must be 0 (all op types) or more");
    }
}
