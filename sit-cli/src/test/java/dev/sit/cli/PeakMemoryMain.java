package dev.sit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs {@code sit ARGS} as {@link Main} does, then prints the process's peak resident memory
 * ({@code VmHWM} of {@code /proc/self/status}, in kB) as the last line of stderr, so a test can
 * bound the memory of a whole command in a fresh JVM.
 */
public final class PeakMemoryMain {

    /** The prefix of the line that reports the peak. */
    static final String PEAK = "peak-rss-kb ";

    private PeakMemoryMain() {
    }

    public static void main(String[] args) throws IOException {
        int code = SitCommand.execute(args);
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:")).findFirst().orElse("VmHWM: -1 kB");
        System.err.println(PEAK + hwm.replaceAll("[^0-9-]", ""));
        System.exit(code);
    }
}
