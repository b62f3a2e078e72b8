package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.NoOptions;
import dev.sit.api.sampling.VectorField;
import dev.sit.core.sampling.SdeSampler;
import dev.sit.core.sampling.SdeSamples;
import dev.sit.core.sampling.SeededNoise;
import dev.sit.core.transport.Interval;
import dev.sit.core.transport.Transport;
import dev.sit.plugins.interpolants.LinearPath;
import dev.sit.plugins.interpolants.UniformWeight;
import dev.sit.plugins.interpolants.VelocityPrediction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SDE sampling of Gaussian data {@link GaussianData} on the Linear path with a "model" that
 * predicts the exact velocity: the transport derives the exact score from it, so the SDE has the
 * path's marginals and its samples must have the data's mean and variance.
 */
class GaussianDataSdeTest {

    private static final int N = 4000;
    private final GaussianData data = GaussianData.example();
    private final Transport transport = Transport.create(new LinearPath(), new VelocityPrediction(), new UniformWeight(),
            null, null);

    @Test
    void eulerMaruyamaWithoutLastStepSamplesTheData() {
        SdeSampler sampler = new SdeSampler(new EulerMaruyamaSolver(), DiffusionForms.SIGMA, 1.0, LastSteps.NONE, 0);
        Interval interval = sampler.interval(transport, false);
        assertThat(interval).isEqualTo(new Interval(0, 1));
        SdeSamples samples = sampler.sample(transport, data.velocity(), new SeededNoise(21).next(N, data.dimensions()),
                interval, 100, new SeededNoise(22), false);
        assertMoments(samples.last(), 0.09);
        assertThat(samples.states()).hasSize(1);
        assertThat(samples.noiseDraws()).isEqualTo(99);
        assertThat(samples.modelEvaluations()).isEqualTo(99);
    }

    @Test
    void anyDiffusionKeepsTheMarginals() {
        // f = v + w s with sqrt(2 w) noise has the path's marginals for every w: a wrong drift/noise
        // coupling (e.g. sqrt(w) noise, or f = v + 2 w s) would spread or shrink the samples
        SdeSampler sampler = new SdeSampler(new EulerMaruyamaSolver(), DiffusionForms.LINEAR, 2.0, LastSteps.NONE, 0);
        SdeSamples samples = sampler.sample(transport, data.velocity(), new SeededNoise(25).next(N, data.dimensions()),
                sampler.interval(transport, false), 100, new SeededNoise(26), false);
        assertMoments(samples.last(), 0.09);
    }

    @Test
    void heunWithTheMeanLastStepSamplesTheDataWithoutTheLastNoise() {
        double h = 0.04;
        SdeSampler sampler = new SdeSampler(new StochasticHeunSolver(), DiffusionForms.SIGMA, 1.0, LastSteps.MEAN, h);
        Interval interval = sampler.interval(transport, false);
        assertThat(interval.t1()).isEqualTo(0.96);
        SdeSamples samples = sampler.sample(transport, data.velocity(), new SeededNoise(23).next(N, data.dimensions()),
                interval, 100, new SeededNoise(24), false);
        // x ~ N(t1 mu, var(t1)) before the last step x + h (v + w s), all linear in x - t1 mu:
        // the mean lands on mu (t1 + h = 1) and the variance is (1 + h (c - w / var))^2 var(t1), w = sigma(t1)
        double t1 = interval.t1();
        double factor = 1 + h * (data.c(t1) - (1 - t1) / data.variance(t1));
        assertMoments(samples.last(), factor * factor * data.variance(t1));
        assertThat(samples.modelEvaluations()).as("2 per Heun step + 1 for the last step").isEqualTo(2 * 99 + 1);
    }

    /**
     * The mean of N draws of N(mu_d, v) has std sqrt(v / N) (0.0047 for v = 0.09, N = 4000) and the
     * sample variance std v sqrt(2 / N) (0.0020); the bounds are 5 sigma plus an allowance for the
     * solvers' weak error with 99 steps of 0.01 (a bias of order dt * v = 1e-3 in the variance).
     */
    private void assertMoments(INDArray x, double expectedVariance) {
        INDArray mean = x.mean(0);
        INDArray variance = x.var(false, 0);
        double meanTolerance = 5 * Math.sqrt(expectedVariance / N) + 2e-3;
        double varianceTolerance = 5 * expectedVariance * Math.sqrt(2.0 / N) + 2e-3;
        for (int d = 0; d < data.dimensions(); d++) {
            assertThat(mean.getDouble(d)).as("mean of dimension %d", d)
                    .isCloseTo(data.mu().getDouble(0, d), within(meanTolerance));
            assertThat(variance.getDouble(d)).as("variance of dimension %d", d)
                    .isCloseTo(expectedVariance, within(varianceTolerance));
        }
    }
}
