package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void threeMistakesAreReportedTogetherWithLineNumbersAndExitCode2() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                name: bad
                transport:
                  path: GPV
                train:
                  lr: -1
                  epoch: 3
                """);
        CommandLineRun run = CommandLineRun.of("validate", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("3 problems")
                .contains(file + ":3:9: transport.path: unknown interpolant 'GPV' (did you mean GVP?)")
                .contains(file + ":5:7: train.lr: value -1 is out of range")
                .contains(file + ":6:3: train.epoch: unknown key 'epoch' (did you mean epochs?)");
    }

    @Test
    void aMissingFileIsAUsageError() {
        CommandLineRun run = CommandLineRun.of("validate", dir.resolve("nope.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("does not exist");
    }

    @Test
    void dryRunPrintsTheResolvedExperiment() throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, "name: ok\nmodel: {size: SiT-S/2}\n");
        CommandLineRun run = CommandLineRun.of("run", file.toString(), "--dry-run", "--set", "seed=3");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("name: ok").contains("seed: 3").contains("size: SiT-S/2").contains("name: Linear");
    }
}
