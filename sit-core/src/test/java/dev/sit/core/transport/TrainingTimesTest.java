package dev.sit.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.transport.RandomDraws;
import dev.sit.api.transport.TimeSampler;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The training times of a transport with a time sampler and shift: on the training interval of the
 * eps rules, distributed as {@code t0 + (t1 - t0) shift(u)}, seeded per (seed, step); without a
 * sampler (or with a uniform one and no shift) exactly the reference's draws.
 */
class TrainingTimesTest {

    /** {@code u = max(u1, u2)}, {@code F(u) = u^2}: written here, core knows no plugin. */
    static final TimeSampler MAX_OF_TWO = new TimeSampler() {
        public INDArray sample(long n, RandomDraws draws) { return Transforms.max(draws.uniform(n), draws.uniform(n)); }
        public double cdf(double t) { return t * t; }
    };

    static final TimeSampler UNIFORM = new TimeSampler() {
        public INDArray sample(long n, RandomDraws draws) { return draws.uniform(n); }
        public double cdf(double t) { return t; }
        public boolean isUniform() { return true; }
    };

    @Test
    void defaultTimesAreTheReferenceDrawsBitForBit() throws Exception {
        Transport reference = TransportTensorTest.TRANSPORT;
        Transport uniform = reference.withTimeSampling(UNIFORM, TimeShift.NONE);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 16, 2, 4, 4);
        Interval interval = reference.interval(IntervalRequest.training());
        INDArray expected = Nd4j.createUninitialized(DataType.FLOAT, 16);
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(9)) {
            Nd4j.getExecutioner().exec(new GaussianDistribution(Nd4j.createUninitialized(DataType.FLOAT, x1.shape()), 0, 1), rng);
            Nd4j.getExecutioner().exec(new UniformDistribution(expected, interval.t0(), interval.t1()), rng);
        }
        assertThat(reference.sampleTraining(x1, 9L).t()).isEqualTo(expected);
        assertThat(uniform.sampleTraining(x1, 9L).t()).isEqualTo(expected);
    }

    @Test
    void sampledAndShiftedTimesStayOnTheIntervalAndFollowTheirDistribution() {
        // the score-like target keeps eps = 1e-3 at both ends: t in [1e-3, 1 - 1e-3]
        Transport transport = TransportTensorTest.TRANSPORT.withTimeSampling(MAX_OF_TWO, new TimeShift(3.0));
        Interval interval = transport.interval(IntervalRequest.training());
        assertThat(interval.t0()).isEqualTo(1e-3);
        int n = 20_000;
        double[] t;
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(5)) {
            t = transport.trainingTimes(n, interval, rng).toDoubleVector();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Arrays.sort(t);
        assertThat(t[0]).isGreaterThanOrEqualTo(interval.t0());
        assertThat(t[n - 1]).isLessThanOrEqualTo(interval.t1());
        // P(T <= x) = F(shift^-1((x - t0) / (t1 - t0))) with F(u) = u^2 (Kolmogorov-Smirnov, 0.1% level)
        TimeShift shift = new TimeShift(3.0);
        double d = 0;
        for (int i = 0; i < n; i++) {
            double u = shift.inverse((t[i] - interval.t0()) / interval.length());
            double f = u * u;
            d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        assertThat(d).isLessThan(1.95 / Math.sqrt(n));
    }

    @Test
    void timesAreSeededPerStep() {
        Transport transport = TransportTensorTest.TRANSPORT.withTimeSampling(MAX_OF_TWO, new TimeShift(2.0));
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 32, 2, 4, 4);
        TrainingSample a = transport.sampleTraining(x1, 11L);
        assertThat(transport.sampleTraining(x1, 11L).t()).isEqualTo(a.t());
        assertThat(transport.sampleTraining(x1, 12L).t()).isNotEqualTo(a.t());
        // the noise is drawn first, so the sampler does not change it
        assertThat(TransportTensorTest.TRANSPORT.sampleTraining(x1, 11L).x0()).isEqualTo(a.x0());
        assertThat(a.t().meanNumber().doubleValue()).isBetween(0.0, 1.0);
        assertThat(transport.toString()).contains("time_shift=2.0");
    }
}
