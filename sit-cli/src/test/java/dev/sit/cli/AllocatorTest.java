package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The allocator the {@code ./sit} launcher picks, and what {@code sit doctor} says about it. */
class AllocatorTest {

    private static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

    @Test
    void theLauncherRefusesAnUnknownAllocatorBeforeDoingAnything() throws Exception {
        Path launcher = Path.of("..", "sit").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--version");
        pb.environment().put("SIT_ALLOCATOR", "tcmalloc");
        Process child = pb.start();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(err).isEqualTo(2);
        assertThat(err).contains("SIT_ALLOCATOR=tcmalloc is not an allocator: use jemalloc, glibc or auto");
    }

    /** The whole launcher parses: the refusal above exits before bash reads its later lines. */
    @Test
    void theLauncherIsValidBash() throws Exception {
        Path launcher = Path.of("..", "sit").toAbsolutePath().normalize();
        Process child = new ProcessBuilder("bash", "-n", launcher.toString()).start();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(err).isZero();
    }

    /** jemalloc is seen from inside a process that preloads it, as {@code ./sit} does where it is installed. */
    @Test
    void doctorNamesJemallocWhenItIsPreloaded() throws Exception {
        assumeTrue(Files.exists(JEMALLOC), "jemalloc is not installed here (apt-get install libjemalloc2)");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.nd4j.autodiff.samediff=false", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "doctor")).redirectErrorStream(true);
        pb.environment().put("LD_PRELOAD", JEMALLOC.toString());
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("memory:       default: jemalloc reuses freed memory, SameDiff's array cache off");
    }
}
