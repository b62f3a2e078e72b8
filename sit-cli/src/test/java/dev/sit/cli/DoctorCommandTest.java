package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code sit doctor} on the CPU backend (this machine has no GPU). */
class DoctorCommandTest {

    @Test
    void reportsTheCpuBackendItsVersionSimdLevelAndTheSupportMatrix() {
        CommandLineRun run = CommandLineRun.of("doctor");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("backend:      CPU (ND4J 1.0.0-M2.1)")
                .contains("native build: nd4j-native linux-x86_64-onednn-avx2, compiled for AVX2")
                .containsPattern("this CPU:     (AVX2|AVX-512)")
                .contains("GPUs:         none (the CPU backend uses none)")
                .contains("status:       ok, this build runs here")
                .contains("mvn -Pcuda package")
                .contains("compute capability 9.0 and above")
                .contains("memory:       default: SameDiff reuses freed arrays")
                .doesNotContain("Exception");
    }

    @Test
    void isListedInTheHelp() {
        assertThat(CommandLineRun.of("--help").out()).contains("doctor");
    }
}
