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
