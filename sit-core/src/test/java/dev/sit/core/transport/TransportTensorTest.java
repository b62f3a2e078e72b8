package dev.sit.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.transport.Affine;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The tensor side of {@link Transport} on a path, target and weight written here (core knows no
 * plugin): draws, the per-sample broadcast of coefficients, the ND4J loss against a per-sample
 * hand computation, the SameDiff loss and its gradient, and the per-sample conversions.
 */
class TransportTensorTest {

    /** alpha = t^2, sigma = 1 - t: a path with non-constant derivatives. */
    static final Interpolant PATH = new Interpolant() {
        public double alpha(double t) { return t * t; }
        public double dAlpha(double t) { return 2 * t; }
        public double sigma(double t) { return 1 - t; }
        public double dSigma(double t) { return -1; }
    };

    /** A score-like target: regression (sigma out + x0)^2, so outScale varies per sample. */
    static final PredictionTarget TARGET = new PredictionTarget() {
        public Regression regression(PathCoefficients c) { return new Regression(c.sigma(), 0.0, -1.0); }
        public Affine toVelocity(PathCoefficients c) { return new Affine(c.driftVar(), -c.driftMeanCoefficient()); }
        public Affine toScore(PathCoefficients c) { return new Affine(1.0, 0.0); }
    };

    static final LossWeight WEIGHT = c -> c.driftVar() / (c.sigma() * c.sigma());

    static final Transport TRANSPORT = Transport.create(PATH, TARGET, WEIGHT, null, null);

    @Test
    void seededDrawsAreReproducibleAndFollowTheirDistributions() {
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 64, 4, 8, 8);
        TrainingSample a = TRANSPORT.sampleTraining(x1, 42L);
        TrainingSample b = TRANSPORT.sampleTraining(x1, 42L);
        TrainingSample c = TRANSPORT.sampleTraining(x1, 43L);
        assertThat(a.x0()).isEqualTo(b.x0());
        assertThat(a.t()).isEqualTo(b.t());
        assertThat(a.x0()).isNotEqualTo(c.x0());
        assertThat(a.x0().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(a.t().shape()).containsExactly(64);
        assertThat(a.x0().meanNumber().doubleValue()).isCloseTo(0.0, within(0.05));
        assertThat(a.x0().stdNumber().doubleValue()).isCloseTo(1.0, within(0.05));
        Interval interval = TRANSPORT.interval(IntervalRequest.training());
        assertThat(interval).isEqualTo(new Interval(1e-3, 1 - 1e-3));
        assertThat(a.t().minNumber().doubleValue()).isGreaterThanOrEqualTo((float) interval.t0());
        assertThat(a.t().maxNumber().doubleValue()).isLessThanOrEqualTo((float) interval.t1());
        // 64 uniform draws spread over the interval
        assertThat(a.t().maxNumber().doubleValue() - a.t().minNumber().doubleValue()).isGreaterThan(0.5);
    }

    @Test
    void trainingSampleAndLossMatchAPerSampleHandComputation() {
        INDArray x1 = Nd4j.randn(7L, new long[] {3, 2, 4, 4}).castTo(DataType.FLOAT);
        INDArray x0 = Nd4j.randn(8L, new long[] {3, 2, 4, 4}).castTo(DataType.FLOAT);
        INDArray out = Nd4j.randn(9L, new long[] {3, 2, 4, 4}).castTo(DataType.FLOAT);
        INDArray t = Nd4j.createFromArray(0.1f, 0.5f, 0.8f);
        TrainingSample s = TRANSPORT.trainingSample(x1, x0, t);
        assertThat(s.outScale().shape()).containsExactly(3, 1, 1, 1);
        double[] loss = TRANSPORT.perSampleLoss(s, out).castTo(DataType.DOUBLE).toDoubleVector();
        double mean = 0;
        for (int i = 0; i < 3; i++) {
            PathCoefficients c = PATH.at(t.getDouble(i));
            INDArray x1i = x1.get(NDArrayIndex.point(i)).castTo(DataType.DOUBLE);
            INDArray x0i = x0.get(NDArrayIndex.point(i)).castTo(DataType.DOUBLE);
            INDArray outi = out.get(NDArrayIndex.point(i)).castTo(DataType.DOUBLE);
            INDArray xt = x1i.mul(c.alpha()).add(x0i.mul(c.sigma()));
            assertThat(maxAbs(s.xt().get(NDArrayIndex.point(i)).castTo(DataType.DOUBLE).sub(xt))).isLessThan(1e-6);
            INDArray residual = outi.mul(c.sigma()).add(x0i);
            double w = c.driftVar() / (c.sigma() * c.sigma());
            double expected = w * residual.mul(residual).meanNumber().doubleValue();
            assertThat(loss[i]).as("sample " + i).isCloseTo(expected, within(1e-5 * Math.abs(expected)));
            mean += expected / 3;
        }
        assertThat(TRANSPORT.loss(s, out)).isCloseTo(mean, within(1e-5 * Math.abs(mean)));
    }

    @Test
    void sameDiffLossEqualsTheNd4jLossAndHasTheAnalyticGradient() {
        INDArray x1 = Nd4j.randn(1L, new long[] {3, 2, 4, 4}).castTo(DataType.FLOAT);
        INDArray x0 = Nd4j.randn(2L, new long[] {3, 2, 4, 4}).castTo(DataType.FLOAT);
        INDArray outValue = Nd4j.randn(3L, new long[] {3, 2, 4, 4}).castTo(DataType.FLOAT);
        TrainingSample s = TRANSPORT.trainingSample(x1, x0, Nd4j.createFromArray(0.2f, 0.6f, 0.95f));

        SameDiff sd = SameDiff.create();
        SDVariable out = sd.var("out", outValue.dup());
        TrainingLoss loss = TrainingLoss.define(sd, out);
        sd.setLossVariables(loss.loss());
        Map<String, INDArray> feeds = loss.feeds(s);
        Map<String, INDArray> values = sd.output(feeds, TrainingLoss.PER_SAMPLE_LOSS, TrainingLoss.LOSS);

        INDArray expectedPerSample = TRANSPORT.perSampleLoss(s, outValue);
        assertThat(maxAbs(values.get(TrainingLoss.PER_SAMPLE_LOSS).sub(expectedPerSample)))
                .isLessThan(1e-5 * expectedPerSample.amaxNumber().doubleValue());
        assertThat(values.get(TrainingLoss.LOSS).getDouble(0))
                .isCloseTo(TRANSPORT.loss(s, outValue), within(1e-5 * TRANSPORT.loss(s, outValue)));

        // d loss / d out = 2 w outScale (outScale out - target) / (N * elements per sample)
        INDArray gradient = sd.calculateGradients(feeds, "out").get("out");
        long perSample = outValue.length() / 3;
        INDArray residual = outValue.mul(s.outScale()).sub(s.target());
        INDArray expected = residual.mul(s.outScale()).mul(s.weight().reshape(3, 1, 1, 1)).mul(2.0 / (3 * perSample));
        assertThat(maxAbs(gradient.sub(expected))).isLessThan(1e-5 * expected.amaxNumber().doubleValue());
    }

    @Test
    void perSampleConversionsEqualTheOneTimeConversionsSampleBySample() {
        INDArray x = Nd4j.randn(5L, new long[] {2, 3, 4, 4}).castTo(DataType.FLOAT);
        INDArray out = Nd4j.randn(6L, new long[] {2, 3, 4, 4}).castTo(DataType.FLOAT);
        INDArray t = Nd4j.createFromArray(0.3f, 0.7f);
        INDArray velocity = TRANSPORT.velocity(x, out, t);
        INDArray score = TRANSPORT.score(x, out, t);
        for (int i = 0; i < 2; i++) {
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1)).dup();
            INDArray oi = out.get(NDArrayIndex.interval(i, i + 1)).dup();
            double ti = t.getDouble(i);
            assertThat(maxAbs(velocity.get(NDArrayIndex.interval(i, i + 1)).sub(TRANSPORT.velocity(xi, oi, ti))))
                    .isLessThan(1e-5);
            assertThat(maxAbs(score.get(NDArrayIndex.interval(i, i + 1)).sub(TRANSPORT.score(xi, oi, ti))))
                    .isLessThan(1e-6);
            // v = -drift_mean + drift_var out, with the SDE pieces the samplers compose
            INDArray composed = TRANSPORT.driftMean(xi, ti).neg().add(oi.mul(TRANSPORT.driftVar(ti)));
            assertThat(maxAbs(composed.sub(TRANSPORT.velocity(xi, oi, ti)))).isLessThan(1e-5);
        }
        assertThat(x).isEqualTo(Nd4j.randn(5L, new long[] {2, 3, 4, 4}).castTo(DataType.FLOAT));
    }

    static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    @Test
    void samplingAcceptsTimesJustPastTheEndButTrainingDoesNot() {
        INDArray x = Nd4j.ones(DataType.FLOAT, 1, 1, 2, 2);
        double past = 1.0 + 1e-9; // e.g. t + dt of a float grid, or a dopri5 step overshooting t1
        assertThat(TRANSPORT.samplingCoefficients(past).alpha()).isCloseTo(1.0, within(1e-8));
        assertThat(TRANSPORT.velocity(x, x, past).getDouble(0)).isFinite();
        assertThat(TRANSPORT.velocity(x, x, Nd4j.createFromArray(1.05f)).getDouble(0)).isFinite();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TRANSPORT.coefficients(past))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t must be in [0, 1]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TRANSPORT.velocity(x, x, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TRANSPORT.score(x, Nd4j.ones(DataType.FLOAT, 1, 1, 2, 3), 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model output must have the shape of x");
    }
}
