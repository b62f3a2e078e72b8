package dev.sit.plugins.interpolants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.testkit.SeededDraws;
import dev.sit.api.testkit.TimeSamplerContract;
import dev.sit.api.transport.TimeSampler;
import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * The bundled time samplers against their analytic distributions, from 200 000 draws: means,
 * second moments and quantiles (the sampling error of a mean of 2e5 draws with sd &lt; 0.3 is
 * below 7e-4; tolerances are about 4 standard errors).
 */
class TimeSamplerDistributionTest {

    private static final int N = 200_000;

    private static double[] sortedDraws(TimeSampler s, long seed) {
        double[] t = s.sample(N, new SeededDraws(seed)).toDoubleVector();
        Arrays.sort(t);
        return t;
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.round(q * (sorted.length - 1))];
    }

    private static double mean(double[] t, int power) {
        double sum = 0;
        for (double v : t) {
            sum += Math.pow(v, power);
        }
        return sum / t.length;
    }

    @Test
    void logitNormalQuantilesAreSigmoidsOfNormalQuantiles() {
        double m = 0.5;
        double s = 0.8;
        double[] t = sortedDraws(new LogitNormalTime(new LogitNormalOptions(m, s, null)), 3);
        NormalDistribution normal = new NormalDistribution(0, 1);
        for (double q : new double[] {0.05, 0.25, 0.5, 0.75, 0.95}) {
            double expected = 1 / (1 + Math.exp(-(m + s * normal.inverseCumulativeProbability(q))));
            assertThat(quantile(t, q)).as("quantile %s", q).isCloseTo(expected, within(4e-3));
        }
        // mean > 0 favours the data end
        assertThat(mean(t, 1)).isGreaterThan(0.55);
    }

    @Test
    void aUniformFractionMixesUniformDrawsIntoTheLogitNormal() {
        double m = -0.8;
        double s = 0.8;
        double f = 0.25;
        double[] t = sortedDraws(new LogitNormalTime(new LogitNormalOptions(m, s, f)), 6);
        NormalDistribution normal = new NormalDistribution(0, 1);
        for (double x : new double[] {0.05, 0.2, 0.5, 0.8, 0.95}) {
            double expected = f * x + (1 - f) * normal.cumulativeProbability((Math.log(x / (1 - x)) - m) / s);
            long below = Arrays.stream(t).filter(v -> v <= x).count();
            assertThat(below / (double) N).as("F(%s)", x).isCloseTo(expected, within(4e-3));
        }
        // the data end is trained: a quarter of the uniform share lands above 0.9, the logit-normal almost none
        double[] pure = sortedDraws(new LogitNormalTime(new LogitNormalOptions(m, s, null)), 6);
        assertThat(Arrays.stream(pure).filter(v -> v > 0.9).count() / (double) N).isLessThan(0.002);
        assertThat(Arrays.stream(t).filter(v -> v > 0.9).count() / (double) N).isCloseTo(f * 0.1, within(3e-3));
    }

    @Test
    void standardLogitNormalIsSymmetricAboutOneHalfWithItsIntegratedSecondMoment() {
        double[] t = sortedDraws(new LogitNormalTime(new LogitNormalOptions(null, null, null)), 4);
        assertThat(mean(t, 1)).isCloseTo(0.5, within(2e-3));
        assertThat(quantile(t, 0.5)).isCloseTo(0.5, within(4e-3));
        // E[T^2] = integral of sigmoid(z)^2 phi(z) dz, by the trapezoid rule on [-12, 12]
        double second = 0;
        double h = 1e-3;
        for (double z = -12; z <= 12; z += h) {
            double sig = 1 / (1 + Math.exp(-z));
            second += sig * sig * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * h;
        }
        assertThat(mean(t, 2)).isCloseTo(second, within(2e-3));
    }

    @Test
    void modeQuantilesAreTheMapAtTheComplementaryLevel() {
        ModeTime mode = new ModeTime(new ModeOptions(1.29));
        double[] t = sortedDraws(mode, 5);
        // f is decreasing, so the q-quantile of f(V) is f(1 - q)
        for (double q : new double[] {0.05, 0.25, 0.5, 0.75, 0.95}) {
            assertThat(quantile(t, q)).as("quantile %s", q).isCloseTo(mode.map(1 - q), within(4e-3));
        }
        // E[T] = 1/2 by the symmetry f(1 - v) = 1 - f(v); E[T^2] = integral of f(v)^2 over [0, 1]
        double second = 0;
        int steps = 100_000;
        for (int i = 0; i < steps; i++) {
            double f = mode.map((i + 0.5) / steps);
            second += f * f / steps;
        }
        assertThat(mean(t, 1)).isCloseTo(0.5, within(2e-3));
        assertThat(mean(t, 2)).isCloseTo(second, within(2e-3));
        // a positive scale concentrates the middle: less spread than U[0, 1] (variance 1/12)
        assertThat(second - 0.25).isLessThan(1.0 / 12 - 0.01);
    }

    @Test
    void modeWithScaleZeroIsUniformAndItsCdfInvertsTheMap() {
        ModeTime flat = new ModeTime(new ModeOptions(0.0));
        for (double t = 0; t <= 1; t += 0.125) {
            assertThat(flat.cdf(t)).isCloseTo(t, within(1e-12));
        }
        ModeTime mode = new ModeTime(new ModeOptions(-0.5));
        for (double v = 0.05; v < 1; v += 0.1) {
            assertThat(mode.cdf(mode.map(v))).isCloseTo(1 - v, within(1e-12));
        }
        double distance = TimeSamplerContract.kolmogorovSmirnov(mode, sortedDraws(mode, 6));
        assertThat(distance).isLessThan(1.95 / Math.sqrt(N));
    }

    @Test
    void theModeScaleRangeIsWhereTheMapIsMonotone() {
        assertThat(ModeOptions.MAX_SCALE).isCloseTo(1.75194, within(1e-5));
        assertThat(ModeOptions.class.getRecordComponents()[0].getAnnotation(dev.sit.api.Range.class).max())
                .isEqualTo(ModeOptions.MAX_SCALE);
        // just inside the range the map decreases everywhere; just outside it does not
        ModeTime edge = new ModeTime(new ModeOptions(ModeOptions.MAX_SCALE));
        ModeTime beyond = new ModeTime(new ModeOptions(ModeOptions.MAX_SCALE + 0.2));
        boolean edgeMonotone = true;
        boolean beyondMonotone = true;
        for (int i = 1; i <= 1000; i++) {
            edgeMonotone &= edge.map(i / 1000.0) <= edge.map((i - 1) / 1000.0) + 1e-12;
            beyondMonotone &= beyond.map(i / 1000.0) <= beyond.map((i - 1) / 1000.0) + 1e-12;
        }
        assertThat(edgeMonotone).isTrue();
        assertThat(beyondMonotone).isFalse();
    }
}
