package dev.sit.api.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sit.api.transport.TimeSampler;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every {@link TimeSampler} must satisfy: {@code n} finite float32 draws in [0, 1]; the same
 * seed gives the same draws; {@link TimeSampler#cdf} is a distribution function on [0, 1]; and the
 * draws follow it: the Kolmogorov-Smirnov distance of {@link #DRAWS} draws to the CDF stays below the
 * 0.1% critical value {@code 1.95 / sqrt(n)} (a sampler whose draws and CDF disagree by more than
 * about 1.4% anywhere fails). A sampler that says {@link TimeSampler#isUniform()} has {@code F(t) = t}.
 */
public abstract class TimeSamplerContract {

    /** Number of draws of the distribution test. */
    public static final int DRAWS = 20_000;

    /** The sampler under test. */
    protected abstract TimeSampler sampler();

    @Test
    public void drawsAreFiniteFloatTimesInTheUnitInterval() {
        INDArray t = sampler().sample(1000, new SeededDraws(1));
        assertEquals(DataType.FLOAT, t.dataType(), "draws must be float32");
        assertEquals(1000, t.length(), "sample(n) must return n times");
        for (double v : t.toDoubleVector()) {
            assertTrue(v >= 0 && v <= 1, () -> sampler() + " drew " + v + ", outside [0, 1]");
        }
    }

    @Test
    public void theSameSeedGivesTheSameDraws() {
        TimeSampler s = sampler();
        assertArrayEquals(s.sample(257, new SeededDraws(7)).toFloatVector(), s.sample(257, new SeededDraws(7)).toFloatVector(),
                () -> s + " must draw only from the RandomDraws it is given");
    }

    @Test
    public void cdfIsADistributionFunction() {
        TimeSampler s = sampler();
        assertEquals(0.0, s.cdf(0.0), 1e-9, "F(0)");
        assertEquals(1.0, s.cdf(1.0), 1e-9, "F(1)");
        double previous = 0;
        for (int i = 0; i <= 1000; i++) {
            double f = s.cdf(i / 1000.0);
            double before = previous;
            assertTrue(Double.isFinite(f) && f >= before - 1e-12 && f <= 1 + 1e-12,
                    () -> s + ": F(" + (f) + ") must be finite, in [0, 1] and non-decreasing (previous " + before + ")");
            previous = f;
        }
    }

    @Test
    public void drawsFollowTheCdf() {
        TimeSampler s = sampler();
        double distance = kolmogorovSmirnov(s, s.sample(DRAWS, new SeededDraws(12345)).toDoubleVector());
        double critical = 1.95 / Math.sqrt(DRAWS);
        assertTrue(distance < critical, () -> s + ": the draws are " + distance
                + " away from cdf() (Kolmogorov-Smirnov), above the 0.1% critical value " + critical);
    }

    @Test
    public void aUniformSamplerHasTheIdentityCdf() {
        TimeSampler s = sampler();
        if (!s.isUniform()) {
            return;
        }
        for (int i = 0; i <= 100; i++) {
            assertEquals(i / 100.0, s.cdf(i / 100.0), 1e-12, "isUniform() but F(t) != t");
        }
    }

    /** {@code sup_t |F_n(t) - F(t)|} of the draws. */
    public static double kolmogorovSmirnov(TimeSampler s, double[] draws) {
        double[] sorted = draws.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = s.cdf(sorted[i]);
            d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        return d;
    }
}
