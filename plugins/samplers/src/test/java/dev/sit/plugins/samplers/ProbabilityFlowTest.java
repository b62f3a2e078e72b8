package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.sampling.VectorField;
import dev.sit.core.sampling.ProbabilityFlow;
import dev.sit.core.sampling.VectorJacobianProduct;
import dev.sit.core.transport.Transport;
import dev.sit.plugins.interpolants.NoisePrediction;
import dev.sit.plugins.interpolants.UniformWeight;
import dev.sit.plugins.interpolants.VpOptions;
import dev.sit.plugins.interpolants.VpPath;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The velocity VJP through the transport's conversion agrees with central differences of the velocity. */
class ProbabilityFlowTest {

    @Test
    void velocityVjpMatchesFiniteDifferences() {
        Transport vpNoise = Transport.create(new VpPath(VpOptions.defaults()), new NoisePrediction(), new UniformWeight(),
                null, null);
        // a noise model with a full Jacobian: out = x M; its VJP is e M^T. Linear, so float32 central
        // differences with a large step are exact up to rounding.
        INDArray m = Nd4j.createFromArray(new float[][] {
            {0.5f, -0.2f, 0.1f, 0f}, {0.3f, 0.8f, 0f, -0.4f}, {0f, 0.25f, -0.6f, 0.2f}, {0.1f, 0f, 0.35f, 0.7f}});
        VectorField model = (x, t) -> x.mmul(m);
        VectorJacobianProduct modelVjp = (x, t, e) -> e.mmul(m.transpose());
        VectorField v = ProbabilityFlow.velocity(vpNoise, model);
        VectorJacobianProduct vjp = ProbabilityFlow.velocityVjp(vpNoise, modelVjp);

        INDArray x = Nd4j.createFromArray(new float[][] {{0.3f, -0.7f, 1.1f, 0.2f}, {-1.2f, 0.4f, 0.05f, 0.9f}});
        INDArray e = Nd4j.createFromArray(new float[][] {{1, -1, -1, 1}, {-1, 1, 1, 1}});
        double t = 0.6;
        INDArray analytic = vjp.vjp(x, t, e);
        double h = 0.25;
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 4; i++) {
                INDArray plus = x.dup();
                plus.putScalar(b, i, x.getDouble(b, i) + h);
                INDArray minus = x.dup();
                minus.putScalar(b, i, x.getDouble(b, i) - h);
                double numeric = v.drift(plus, t).sub(v.drift(minus, t)).mul(e).sumNumber().doubleValue() / (2 * h);
                assertThat(analytic.getDouble(b, i)).as("d(e . v)/dx[%d, %d]", b, i)
                        .isCloseTo(numeric, org.assertj.core.api.Assertions.within(1e-4 * (1 + Math.abs(numeric))));
            }
        }
        // and it is not just the model's VJP: the noise-to-velocity conversion scales it by -drift_var / sigma
        double a = vpNoise.velocityAffine(t).outCoefficient();
        assertThat(a).isNotCloseTo(1.0, org.assertj.core.api.Assertions.within(0.1));
    }
}
