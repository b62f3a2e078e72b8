package dev.sit.core.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime settings measured to make SameDiff fast on CPU (SAMEDIFF-NOTES.md): OpenBLAS limited to
 * one thread (2-D matrix products already run in oneDNN; OpenBLAS threads only added system time).
 * Environment variables cannot be set from Java; {@link #environmentAdvice()} says which are missing
 * ({@code OMP_WAIT_POLICY=PASSIVE}, {@code OMP_NUM_THREADS}), and the {@code sit} launcher sets them.
 */
public final class ComputeSettings {

    private static boolean applied;

    private ComputeSettings() {
    }

    /** Applies the in-process settings once (idempotent). */
    public static synchronized void apply() {
        if (applied) {
            return;
        }
        // -Dsit.blas.threads=N overrides, for measuring on other machines
        Nd4j.factory().blas().setMaxThreads(Integer.getInteger("sit.blas.threads", 1));
        applied = true;
    }

    /**
     * The JVM property that switches SameDiff's cache of freed arrays off ({@code false}); ND4J
     * 1.0.0-M2.1 reads it whenever a session starts. {@code SIT_LOW_MEMORY=1 ./sit} sets it.
     */
    public static final String ARRAY_CACHE_PROPERTY = "org.nd4j.autodiff.samediff";

    /** Whether SameDiff sessions keep freed arrays for reuse (the default: faster, more memory). */
    public static boolean arrayCacheEnabled() {
        return Boolean.parseBoolean(System.getProperty(ARRAY_CACHE_PROPERTY, "true"));
    }

    /** One line on the memory mode in use and how to change it, for {@code sit doctor}. */
    public static String memoryMode() {
        return memoryMode(arrayCacheEnabled(), jemallocLoaded(), System.getenv("MALLOC_TRIM_THRESHOLD_"),
                hugePagesRequested());
    }

    /**
     * The memory mode for the given settings: SameDiff's array cache on or off, jemalloc preloaded or glibc's
     * malloc, glibc's {@code MALLOC_TRIM_THRESHOLD_} (may be null) and its huge-page tunable.
     */
    static String memoryMode(boolean arrayCache, boolean jemalloc, String trimThreshold, boolean hugePages) {
        String lowMemory = "SIT_LOW_MEMORY=1 ./sit ... uses the least memory for about half again the time per "
                + "training step (train.micro_batches saves more)";
        if (jemalloc) {
            return arrayCache
                    ? "jemalloc with SameDiff's array cache on: both keep freed memory; start java with "
                            + "-D" + ARRAY_CACHE_PROPERTY + "=false (as ./sit does) for about 30 % less memory"
                    : "default: jemalloc reuses freed memory, SameDiff's array cache off (0.85-0.95 times the "
                            + "speed of the cache, about 30 % less memory); " + lowMemory;
        }
        String glibcHugePages = hugePages ? "; malloc asks for transparent huge pages"
                : "; set GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (as ./sit does): malloc then asks for transparent huge "
                        + "pages, and training steps take up to 30 % less time";
        if (arrayCache) {
            return "default: SameDiff reuses freed arrays (fast, the most memory); with jemalloc (Debian, Ubuntu: "
                    + "apt-get install libjemalloc2; ./sit uses it unless SIT_ALLOCATOR=glibc) 0.85-0.95 times the speed "
                    + "with about 30 % less memory; "
                    + lowMemory + glibcHugePages;
        }
        return "low: SameDiff's array cache off" + (trimThreshold == null
                ? "; glibc keeps freed memory (set MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 "
                        + "MALLOC_TRIM_THRESHOLD_=131072, as SIT_LOW_MEMORY=1 ./sit does)"
                : ", glibc returns freed memory (MALLOC_TRIM_THRESHOLD_=" + trimThreshold + ")") + glibcHugePages;
    }

    /** Whether jemalloc is this process's malloc (preloaded by ./sit where it is installed). */
    static boolean jemallocLoaded() {
        try {
            return jemallocMapped(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")));
        } catch (java.io.IOException | RuntimeException e) {
            return false; // no /proc (not Linux): ./sit preloads nothing there either
        }
    }

    /** Whether lines of {@code /proc/self/maps} map a jemalloc library. */
    static boolean jemallocMapped(List<String> maps) {
        return maps.stream().anyMatch(line -> line.matches(".*/libjemalloc[^/]*\\.so[^/]*"));
    }

    /** Whether glibc's malloc was told to ask for transparent huge pages ({@code GLIBC_TUNABLES}). */
    static boolean hugePagesRequested() {
        return hugePagesRequested(System.getenv("GLIBC_TUNABLES"));
    }

    /** Whether a {@code GLIBC_TUNABLES} value (colon-separated, may be null) turns malloc's huge pages on (1 or 2). */
    static boolean hugePagesRequested(String tunables) {
        return tunables != null && java.util.Arrays.stream(tunables.split(":"))
                .anyMatch(t -> t.equals("glibc.malloc.hugetlb=1") || t.equals("glibc.malloc.hugetlb=2"));
    }

    /** Advice for environment variables that are not set as recommended (empty when all are). */
    public static List<String> environmentAdvice() {
        List<String> advice = new ArrayList<>();
        String wait = System.getenv("OMP_WAIT_POLICY");
        if (wait == null || !wait.equalsIgnoreCase("PASSIVE")) {
            advice.add("OMP_WAIT_POLICY is " + (wait == null ? "unset" : wait) + ": set OMP_WAIT_POLICY=PASSIVE (spinning "
                    + "OpenMP threads take a quarter of the CPU between SameDiff's small ops)");
        }
        if (System.getenv("OMP_NUM_THREADS") == null) {
            advice.add("OMP_NUM_THREADS is unset: set it to the number of physical cores ("
                    + Runtime.getRuntime().availableProcessors() + " logical processors here)");
        }
        return advice;
    }
}
