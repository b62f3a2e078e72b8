package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spark} of {@code sit run} and {@code sit sweep} without the sit-spark module on the class
 * path (sit.jar alone) is a usage error that says how to get it, before anything runs; and
 * {@code sit run --spark} of an experiment that does not train says what --spark is for.
 */
class SparkFlagTest {

    @TempDir
    Path dir;

    private Path experiment(String train) throws Exception {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, """
                name: tiny
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 4, input_size: 16, in_channels: 3,
                        num_classes: 10, learn_sigma: false}
                data: {source: {name: shapes, options: {size: 64}}, vae: none, num_workers: 1}
                %s
                sample: [{mode: ODE, method: euler, num_steps: 2, labels: [0]}]
                results_dir: %s
                """.formatted(train, dir.resolve("results")));
        return file;
    }

    @Test
    void runAndSweepWithoutTheSparkModuleSayHowToGetIt() throws Exception {
        Path file = experiment("train: {max_steps: 2, global_batch_size: 8}");
        CommandLineRun run = CommandLineRun.of("run", file.toString(), "--spark", "local[2]");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--spark local[2]").contains("sit-spark module").contains("./sit");
        assertThat(dir.resolve("results")).doesNotExist();

        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, "name: s\nbase: tiny.yaml\ngrid:\n  train.lr: [1e-3, 2e-3]\nmetric: loss\nresults_dir: "
                + dir.resolve("results") + "\n");
        CommandLineRun swept = CommandLineRun.of("sweep", sweep.toString(), "--spark", "local[2]");
        assertThat(swept.exitCode()).isEqualTo(2);
        assertThat(swept.err()).contains("sit-spark module").doesNotContain("Exception");
    }

    @Test
    void runWithSparkNeedsATrainSection() throws Exception {
        CommandLineRun run = CommandLineRun.of("run", experiment("").toString(), "--spark", "local[2]");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("has no train: section").contains("--num-fid-samples");
    }

    @Test
    void aLocalMasterWithFewerCoresThanReplicasIsAUsageError() throws Exception {
        Path file = experiment("train: {max_steps: 2, global_batch_size: 8, replicas: 4}");
        CommandLineRun run = CommandLineRun.of("run", file.toString(), "--spark", "local[2]");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--spark local[2] offers 2 task slot(s) but train.replicas is 4")
                .contains("--set train.replicas=2");
        assertThat(dir.resolve("results")).doesNotExist();
    }
}
