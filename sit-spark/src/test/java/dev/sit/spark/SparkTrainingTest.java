package dev.sit.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.cli.SitCommand;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.engine.ClusterTraining;
import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.RunOutcome;
import dev.sit.core.engine.SitEngine;
import dev.sit.core.engine.TrainingEventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sit run --spark}: the training stage as a barrier stage of two replicas ({@code local[2]},
 * one context for the class) follows the loss curve of a one-replica run in this process within
 * relative 1e-4 over 20 steps, its checkpoint samples with {@code sit sample}, and a replica that
 * dies mid-run stops the run with the resume command, which then continues the same curve.
 */
class SparkTrainingTest {

    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(new SparkConf().setMaster("local[2]")
                .setAppName("sit test").set("spark.ui.enabled", "false")));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private Path experiment(String name, String source) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: tiny
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 4, input_size: 16, in_channels: 3,
                        num_classes: 10, learn_sigma: false}
                data: {source: %s, vae: none, num_workers: 1}
                train: {max_steps: 20, global_batch_size: 8, log_every: 1, ckpt_every: 5, sample_every: 10, lr: 1e-3}
                sample: [{mode: ODE, method: euler, num_steps: 2, labels: [0, 1]}]
                loggers: [metrics-file]
                plugins: [extra-plugins]
                results_dir: %s
                """.formatted(source, dir.resolve("results")));
        // a plugin folder relative to the experiment file: the executors must find it too
        Files.createDirectories(dir.resolve("extra-plugins"));
        return file;
    }

    /** The losses the run's listener saw, by step. */
    private static final class Losses implements RunListener {
        final Map<Long, Double> byStep = new TreeMap<>();

        @Override
        public void stepLogged(long step, Map<String, Double> scalars) {
            byStep.put(step, scalars.get("loss"));
        }
    }

    private static RunOutcome run(Path file, Losses losses, boolean spark, String... overrides) throws Exception {
        SitEngine engine = SitEngine.withPluginPath(List.of());
        List<String> settings = new java.util.ArrayList<>(List.of(overrides));
        if (spark) {
            settings.add("train.communicator=spark"); // sit run --spark's default; the engine wants it said
        }
        ResolvedExperiment resolved = engine.load(file, settings);
        return spark ? engine.run(resolved, losses, new ClusterTraining.Placement(new SparkTraining(sc), "local[2]", List.of()))
                : engine.run(resolved, losses);
    }

    private static void assertSameCurve(Map<Long, Double> actual, Map<Long, Double> expected, long from, long to) {
        for (long s = from; s <= to; s++) {
            assertThat(actual.get(s)).as("loss at step %d", s).isNotNull()
                    .isCloseTo(expected.get(s), within(1e-4 * Math.abs(expected.get(s))));
        }
    }

    @Test
    void twoReplicasOnSparkTrainTheLossCurveOfOneAndTheirCheckpointSamples() throws Exception {
        Path file = experiment("tiny", "{name: shapes, options: {size: 64}}");
        Losses one = new Losses();
        run(file, one, false, "train.replicas=1");
        Losses two = new Losses();
        RunOutcome outcome = run(file, two, true, "train.replicas=2");

        assertThat(two.byStep).hasSize(20);
        assertSameCurve(two.byStep, one.byStep, 1, 20);
        assertThat(one.byStep.get(20L)).isNotEqualTo(one.byStep.get(1L));
        assertThat(outcome.trainedToStep()).isEqualTo(20);
        // one writer: replica 0 wrote the checkpoints and the event log; the driver's logger got every step
        Path runFolder = outcome.runFolder().orElseThrow();
        assertThat(runFolder.resolve(TrainingEventLog.FILE)).exists();
        assertThat(Files.readAllLines(runFolder.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"loss\""))).hasSize(20);
        // the periodic grids: drawn by replica 0's task, their images sent to the driver's loggers through the log
        assertThat(runFolder.resolve("samples/0000010-0-euler.png")).isNotEmptyFile();
        assertThat(Files.readAllLines(runFolder.resolve(TrainingEventLog.FILE)).stream()
                .filter(l -> l.contains("\"logged-image\""))).hasSize(2);
        try (Stream<Path> checkpoints = Files.list(runFolder.resolve("checkpoints"))) {
            assertThat(checkpoints.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("0000010", "0000015", "0000020"); // keep_checkpoints: 3
        }

        Path ckpt = outcome.lastCheckpoint().orElseThrow();
        int exit = SitCommand.execute("sample", "ODE", "--ckpt", ckpt.toString(), "--hidden-size", "32", "--depth", "1",
                "--num-heads", "2", "--patch-size", "4", "--image-size", "16", "--in-channels", "3", "--num-classes", "10",
                "--learn-sigma", "false", "--vae", "none", "--sampling-method", "euler",
                "--num-sampling-steps", "2", "--num-fid-samples", "4", "--per-proc-batch-size", "4",
                "--sample-dir", dir.resolve("samples").toString());
        assertThat(exit).isZero();
        try (Stream<Path> written = Files.walk(dir.resolve("samples"))) {
            assertThat(written.filter(p -> p.toString().endsWith(".npz"))).hasSize(1);
        }
    }

    @Test
    void aDeadReplicaStopsTheRunWithTheResumeCommandAndTheResumedRunContinuesTheCurve() throws Exception {
        Path marker = dir.resolve("fail-once");
        Files.writeString(marker, "");
        Path file = experiment("failing", "{name: fail-once-shapes, options: {size: 64, fail_at_load: 8, marker: "
                + marker + "}}");
        Losses reference = new Losses();
        run(experiment("reference", "{name: shapes, options: {size: 64}}"), reference, false, "train.replicas=1",
                "train.max_steps=10");

        Losses first = new Losses();
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> run(file, first, true, "train.replicas=2", "train.max_steps=10"));
        assertThat(failure).isNotNull()
                .hasMessageContaining("injected failure of replica 1")
                .hasMessageContaining("(step 5), is kept")
                .hasMessageContaining("--spark 'local[2]' --resume ")
                .hasMessageContaining("0000005");
        assertThat(marker).doesNotExist();
        assertSameCurve(first.byStep, reference.byStep, 1, 5);

        String checkpoint = failure.getMessage().substring(failure.getMessage().indexOf("--resume ") + "--resume ".length());
        assertThat(Path.of(checkpoint).resolve("state.json")).exists();
        Losses resumed = new Losses();
        RunOutcome outcome = run(file, resumed, true, "train.replicas=2", "train.max_steps=10", "train.resume=" + checkpoint);
        assertThat(resumed.byStep.keySet()).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertSameCurve(resumed.byStep, reference.byStep, 6, 10);
        assertThat(outcome.trainedToStep()).isEqualTo(10);
        assertThat(outcome.runFolder().orElseThrow()).isEqualTo(Path.of(checkpoint).getParent().getParent());
    }

    @Test
    void sitRunWithSparkDefaultsToTheSparkCommunicatorAndRefusesInProcess() throws Exception {
        Path file = experiment("choice", "{name: shapes, options: {size: 64}}");
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        int dryRun;
        int inProcess;
        int local;
        try {
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(errors, true, java.nio.charset.StandardCharsets.UTF_8));
            dryRun = SitCommand.execute("run", file.toString(), "--spark", "local[2]", "--set", "train.replicas=2", "--dry-run");
            String spark = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
            printed.reset();
            local = SitCommand.execute("run", file.toString(), "--set", "train.replicas=2", "--dry-run");
            assertThat(spark).containsPattern("communicator:\\s+name: spark");
            assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).containsPattern("communicator:\\s+name: in-process");
            inProcess = SitCommand.execute("run", file.toString(), "--spark", "local[2]", "--set", "train.replicas=2",
                    "--set", "train.communicator=in-process");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(dryRun).isZero();
        assertThat(local).isZero();
        assertThat(inProcess).isEqualTo(2);
        assertThat(errors.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("chooses train.communicator: in-process").contains("spark is the default with --spark")
                .doesNotContain("Exception");
        assertThat(dir.resolve("results")).doesNotExist();
        // the engine, given a cluster, refuses in-process replicas too
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SitEngine.withPluginPath(List.of()).run(
                SitEngine.withPluginPath(List.of()).load(file, List.of("train.replicas=2")), RunListener.NONE,
                new ClusterTraining.Placement(new SparkTraining(sc), "local[2]", List.of())))
                .hasMessageContaining("train.communicator is in-process").hasMessageContaining("train.communicator: spark");
    }

    @Test
    void moreReplicasThanTaskSlotsAreRefusedBeforeTraining() throws Exception {
        Path file = experiment("wide", "{name: shapes, options: {size: 64}}");
        Losses none = new Losses();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(file, none, true, "train.replicas=4"))
                .hasMessageContaining("train.replicas is 4 but Spark (local[2]) offers 2 task slots");
        assertThat(none.byStep).isEmpty();
    }
}
