package dev.sit.core.train;

/**
 * Seeds of every random draw of a training step, derived from (run seed, step, purpose), so that
 * a resumed run draws exactly what an uninterrupted one would: the RNG state is just the step.
 */
public final class StepSeeds {

    /** Purposes of draws within a step. */
    public static final long TRANSPORT = 1;
    public static final long LABEL_DROPOUT = 2;
    public static final long AUGMENTATION = 3;
    public static final long ENCODING = 4;

    private StepSeeds() {
    }

    public static long of(long seed, long step, long purpose) {
        return mix(seed, step, purpose);
    }

    /** A well-mixed 64-bit value of three inputs (SplitMix64 finaliser). */
    static long mix(long a, long b, long c) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L + c;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
