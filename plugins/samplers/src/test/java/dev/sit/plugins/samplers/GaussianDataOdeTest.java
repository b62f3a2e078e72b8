package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.core.sampling.HutchinsonProbe;
import dev.sit.core.sampling.Likelihood;
import dev.sit.core.sampling.LikelihoodEstimator;
import dev.sit.core.sampling.OdeSampler;
import dev.sit.core.sampling.OdeSamples;
import dev.sit.core.sampling.SeededNoise;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ODE sampling and likelihood with the exact velocity of Gaussian data on the Linear path
 * ({@link GaussianData}), where the answers are known in closed form.
 */
class GaussianDataOdeTest {

    private static final int N = 2000;
    private final GaussianData data = GaussianData.example();

    @Test
    void dopri5MapsNoiseToTheDataDistribution() {
        INDArray z = new SeededNoise(11).next(N, data.dimensions());
        OdeSamples samples = new OdeSampler(AdaptiveRungeKuttaSolver.dopri5(1e-6, 1e-3))
                .sample(data.velocity(), z, 0, 1, 50, false);
        INDArray x = samples.last();

        // the flow of the exact velocity is x(1) = mu + s z. dopri5 controls the RMS error over the
        // whole batch (rtol 1e-3 of |x| ~ 1): the RMS deviation is about 1e-3, single elements a few times that
        INDArray deviation = x.sub(data.fromNoise(z));
        assertThat(deviation.norm2Number().doubleValue() / Math.sqrt(deviation.length())).as("RMS |x(1) - (mu + s z)|")
                .isLessThan(3e-3);
        assertThat(Transforms.abs(deviation).maxNumber().doubleValue()).as("max |x(1) - (mu + s z)|").isLessThan(2e-2);
        // and with tight tolerances every sample lands on mu + s z
        INDArray tight = new OdeSampler(AdaptiveRungeKuttaSolver.dopri5(1e-9, 1e-7))
                .sample(data.velocity(), z, 0, 1, 2, false).last();
        assertThat(Transforms.abs(tight.sub(data.fromNoise(z))).maxNumber().doubleValue()).isLessThan(1e-4);

        // moments: the mean of N draws of N(mu_d, s^2) has std s / sqrt(N) = 0.0067, the sample
        // variance std s^2 sqrt(2 / N) = 0.0028; 5 sigma bounds, plus the solver's RMS error
        INDArray mean = x.mean(0);
        INDArray variance = x.var(false, 0);
        for (int d = 0; d < data.dimensions(); d++) {
            assertThat(mean.getDouble(d)).as("mean of dimension %d", d)
                    .isCloseTo(data.mu().getDouble(0, d), within(5 * 0.3 / Math.sqrt(N) + 3e-3));
            assertThat(variance.getDouble(d)).as("variance of dimension %d", d)
                    .isCloseTo(0.09, within(5 * 0.09 * Math.sqrt(2.0 / N) + 2e-3));
        }
        assertThat(samples.stats().functionEvaluations()).as("NFE").isPositive();
        assertThat(samples.states()).hasSize(1);
    }

    @Test
    void reverseOdeMapsDataBackToItsNoise() {
        INDArray z = new SeededNoise(12).next(64, data.dimensions());
        OdeSamples back = new OdeSampler(AdaptiveRungeKuttaSolver.dopri5(1e-6, 1e-3))
                .sample(data.velocity(), data.fromNoise(z), 1, 0, 50, true);
        assertThat(back.states()).hasSize(50);
        assertThat(Transforms.abs(back.last().sub(z)).maxNumber().doubleValue()).isLessThan(2e-2);
    }

    @Test
    void likelihoodMatchesTheClosedForm() {
        INDArray x = data.fromNoise(new SeededNoise(13).next(16, data.dimensions()));
        INDArray exact = data.logDensity(x);
        // dopri5 at the default tolerances: within 0.02 nats (D = 4)
        Likelihood defaults = new LikelihoodEstimator(AdaptiveRungeKuttaSolver.dopri5(1e-6, 1e-3)).estimate(
                data.velocity(), data.velocityVjp(), x, HutchinsonProbe.rademacher(5), 0, 1, 50, 0);
        assertClose(defaults.logLikelihood(), exact, 0.02);
        // tighter tolerances converge to it (float32 state: about 1e-4 nats)
        Likelihood tight = new LikelihoodEstimator(AdaptiveRungeKuttaSolver.dopri5(1e-9, 1e-7)).estimate(
                data.velocity(), data.velocityVjp(), x, HutchinsonProbe.rademacher(5), 0, 1, 50, 0);
        assertClose(tight.logLikelihood(), exact, 1e-3);
        // the latent is the noise the data came from: z = (x - mu) / s
        INDArray z = x.subRowVector(data.mu()).divi(data.s());
        assertThat(Transforms.abs(tight.latent().sub(z)).maxNumber().doubleValue()).isLessThan(1e-4);
        assertThat(tight.bitsPerDim().getDouble(0))
                .isCloseTo(-tight.logLikelihood().getDouble(0) / (data.dimensions() * Math.log(2)), within(1e-5));
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        double worst = Transforms.abs(actual.castTo(DataType.DOUBLE).sub(expected)).maxNumber().doubleValue();
        assertThat(worst).as("max |logp - closed form|").isLessThan(tolerance);
    }
}
