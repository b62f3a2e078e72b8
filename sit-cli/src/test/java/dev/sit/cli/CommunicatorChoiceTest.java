package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.communicator} is a plugin choice: printed by --dry-run ({@code in-process} by default),
 * an unknown name is reported at its key with the available ones, and the chosen plugin's own check runs
 * at validation: {@code nccl} on this CPU build stops the run with exit code 2 and the plugin's message
 * before anything is written (the nccl module is on this module's test class path).
 */
class CommunicatorChoiceTest {

    @TempDir
    Path dir;

    private Path experiment() throws Exception {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, """
                name: tiny
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 4, input_size: 16, in_channels: 3,
                        num_classes: 10, learn_sigma: false}
                data: {source: {name: shapes, options: {size: 64}}, vae: none, num_workers: 1}
                train: {max_steps: 2, global_batch_size: 8, replicas: 2}
                results_dir: %s
                """.formatted(dir.resolve("results")));
        return file;
    }

    @Test
    void dryRunPrintsTheDefaultInProcessCommunicator() throws Exception {
        CommandLineRun run = CommandLineRun.of("run", experiment().toString(), "--dry-run");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("communicator:\\s+name: in-process");
    }

    @Test
    void ncclOnTheCpuBackendIsRefusedAtValidationWithThePluginsMessage() throws Exception {
        CommandLineRun run = CommandLineRun.of("run", experiment().toString(), "--set", "train.communicator=nccl");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("train.communicator=nccl")
                .contains("nccl: communicator nccl needs ND4J's CUDA backend").contains("mvn -Pcuda package")
                .doesNotContain("Exception");
        assertThat(dir.resolve("results")).doesNotExist();
    }

    @Test
    void anUnknownCommunicatorIsReportedAtItsKeyWithTheAvailableOnes() throws Exception {
        Path file = experiment();
        Files.writeString(file, Files.readString(file).replace("replicas: 2}", "replicas: 2, communicator: mpi}"));
        CommandLineRun run = CommandLineRun.of("run", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("tiny.yaml:5").contains("mpi").contains("in-process").contains("nccl");
        assertThat(dir.resolve("results")).doesNotExist();
    }
}
