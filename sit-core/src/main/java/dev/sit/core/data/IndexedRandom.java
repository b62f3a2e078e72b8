package dev.sit.core.data;

import java.util.SplittableRandom;

/**
 * Random numbers that depend only on (seed, index), not on call order or thread: the
 * SplitMix64 finaliser of the seed and the index mixed together. Used for per-example content
 * (synthetic images) and augmentation (flips), so a batch decoded on several threads, or
 * after a resume, is identical.
 */
public final class IndexedRandom {

    private IndexedRandom() {
    }

    /** A well-mixed 64-bit value of (seed, index). */
    public static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        z = (z + index * 0xD1B54A32D192ED03L) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 29);
    }

    /** A generator for example {@code index} under {@code seed}. */
    public static SplittableRandom of(long seed, long index) {
        return new SplittableRandom(mix(seed, index));
    }

    /** The horizontal-flip decision (probability 1/2) for an example under an augmentation seed. */
    public static boolean flip(long augmentationSeed, long index) {
        return (mix(augmentationSeed ^ 0x5DEECE66DL, index) >>> 63) != 0;
    }
}
