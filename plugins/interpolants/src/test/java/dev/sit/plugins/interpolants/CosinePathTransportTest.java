package dev.sit.plugins.interpolants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.core.transport.Interval;
import dev.sit.core.transport.IntervalRequest;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A new interpolant written as a plain Java class ((the example plugin's cosine path, loaded from its jar)) trains a loss and converts
 * model outputs through the unchanged core {@link Transport}; every expected number below is
 * computed by hand from the formulas, not by the transport.
 */
class CosinePathTransportTest {

    static final double PI = Math.PI;

    // one sample, 4 elements: x1, x0 and the model output
    static final float[] X1 = {0.5f, -1.0f, 2.0f, 0.25f};
    static final float[] X0 = {1.0f, 0.3f, -0.7f, -1.5f};
    static final float[] OUT = {0.2f, -0.4f, 1.1f, 0.0f};
    static final float T = 0.3f;

    static INDArray tensor(float[] values) {
        return Nd4j.create(values, new long[] {1, 1, 2, 2}, 'c');
    }

    @Test
    void trainsANoiseLossWithTheLikelihoodWeight() {
        Transport transport = Transport.create(ExamplePlugin.cosine(), new NoisePrediction(), new LikelihoodWeight(), null, null);
        assertThat(transport.trainEps()).isEqualTo(1e-3);
        TrainingSample s = transport.trainingSample(tensor(X1), tensor(X0), Nd4j.createFromArray(T));
        double loss = transport.perSampleLoss(s, tensor(OUT)).getDouble(0);

        double t = T;
        double alpha = (1 - Math.cos(PI * t)) / 2;
        double sigma = (1 + Math.cos(PI * t)) / 2;
        double dAlpha = PI / 2 * Math.sin(PI * t);
        double dSigma = -PI / 2 * Math.sin(PI * t);
        double ratio = dAlpha / alpha;
        double driftVar = ratio * sigma * sigma - sigma * dSigma;
        double w = driftVar / (sigma * sigma);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double r = OUT[i] - X0[i];
            sum += r * r;
        }
        double expected = w * sum / 4;
        assertThat(loss).isFinite().isCloseTo(expected, within(1e-5 * expected));
        assertThat(s.xt().getDouble(0, 0, 1, 0)).isCloseTo(alpha * X1[2] + sigma * X0[2], within(1e-6));
    }

    @Test
    void trainsAVelocityLossFromDrawnNoiseAndTimes() {
        Transport transport = Transport.create(ExamplePlugin.cosine(), new VelocityPrediction(), new UniformWeight(), null, null);
        assertThat(transport.interval(IntervalRequest.training())).isEqualTo(new Interval(0, 1));
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 16, 2, 4, 4);
        TrainingSample s = transport.sampleTraining(x1, 5L);
        INDArray loss = transport.perSampleLoss(s, Nd4j.zeros(DataType.FLOAT, 16, 2, 4, 4));
        assertThat(loss.shape()).containsExactly(16);
        // with out = 0 the loss is mean(u_t^2) of u_t = d_alpha x1 + d_sigma x0 at each drawn t
        for (int i = 0; i < 16; i++) {
            double t = s.t().getDouble(i);
            INDArray u = s.x1().slice(i).mul(PI / 2 * Math.sin(PI * t)).add(s.x0().slice(i).mul(-PI / 2 * Math.sin(PI * t)));
            double expected = u.mul(u).meanNumber().doubleValue();
            assertThat(loss.getDouble(i)).isFinite().isCloseTo(expected, within(1e-5 * expected + 1e-9));
        }
    }

    @Test
    void convertsScoreAndVelocityOutputs() {
        double t = T;
        double alpha = (1 - Math.cos(PI * t)) / 2;
        double sigma = (1 + Math.cos(PI * t)) / 2;
        double dAlpha = PI / 2 * Math.sin(PI * t);
        double dSigma = -PI / 2 * Math.sin(PI * t);
        double ratio = dAlpha / alpha;
        double driftVar = ratio * sigma * sigma - sigma * dSigma;

        Transport score = Transport.create(ExamplePlugin.cosine(), new ScorePrediction(), new UniformWeight(), null, null);
        INDArray v = score.velocity(tensor(X1), tensor(OUT), t);
        Transport velocity = Transport.create(ExamplePlugin.cosine(), new VelocityPrediction(), new UniformWeight(), null, null);
        INDArray s = velocity.score(tensor(X1), tensor(OUT), Nd4j.createFromArray(T));
        double reverse = alpha / dAlpha;
        double variance = sigma * sigma - reverse * dSigma * sigma;
        for (int i = 0; i < 4; i++) {
            double expectedV = ratio * X1[i] + driftVar * OUT[i];
            double expectedS = (reverse * OUT[i] - X1[i]) / variance;
            assertThat(v.getDouble(0, 0, i / 2, i % 2)).isCloseTo(expectedV, within(1e-5 * (1 + Math.abs(expectedV))));
            assertThat(s.getDouble(0, 0, i / 2, i % 2)).isCloseTo(expectedS, within(1e-5 * (1 + Math.abs(expectedS))));
        }
        assertThat(score.driftVar(t)).isCloseTo(driftVar, within(1e-12));
    }
}
