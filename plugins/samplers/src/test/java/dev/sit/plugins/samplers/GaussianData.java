package dev.sit.plugins.samplers;

import dev.sit.api.sampling.VectorField;
import dev.sit.core.sampling.VectorJacobianProduct;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Data {@code x1 ~ N(mu, s^2 I)} (mu per dimension) on the Linear path {@code x_t = t x1 + (1 - t) x0}:
 * {@code x_t ~ N(t mu, var(t) I)} with {@code var(t) = t^2 s^2 + (1 - t)^2}, so the exact fields are
 * <pre>
 * score    s(x, t) = -(x - t mu) / var(t)
 * velocity v(x, t) = E[x1 - x0 | x_t = x] = mu + c(t) (x - t mu),  c(t) = (t s^2 - (1 - t)) / var(t)
 * </pre>
 * and the probability-flow map is {@code x(1) = mu + s x(0)}; {@code log p(x) = -D/2 ln(2 pi s^2) - |x - mu|^2 / (2 s^2)}.
 */
record GaussianData(INDArray mu, double s) {

    GaussianData {
        if (mu.rank() != 2 || mu.size(0) != 1) {
            throw new IllegalArgumentException("mu is a row (1, D)");
        }
    }

    long dimensions() {
        return mu.size(1);
    }

    double variance(double t) {
        return t * t * s * s + (1 - t) * (1 - t);
    }

    double c(double t) {
        return (t * s * s - (1 - t)) / variance(t);
    }

    /** The exact velocity on a batch (B, D). */
    VectorField velocity() {
        return (x, t) -> x.subRowVector(mu.mul(t)).muli(c(t)).addiRowVector(mu);
    }

    /** The exact score on a batch (B, D). */
    VectorField score() {
        return (x, t) -> x.subRowVector(mu.mul(t)).divi(-variance(t));
    }

    /** {@code e^T dv/dx = c(t) e}. */
    VectorJacobianProduct velocityVjp() {
        return (x, t, e) -> e.mul(c(t));
    }

    /** The data distribution's samples from standard normal draws: {@code mu + s z}. */
    INDArray fromNoise(INDArray z) {
        return z.mul(s).addiRowVector(mu);
    }

    /** Closed-form log-density of each row of {@code x}, in float64. */
    INDArray logDensity(INDArray x) {
        INDArray centred = x.castTo(DataType.DOUBLE).subRowVector(mu.castTo(DataType.DOUBLE));
        return centred.mul(centred).sum(1).divi(-2 * s * s)
                .subi(dimensions() / 2.0 * Math.log(2 * Math.PI * s * s));
    }

    static GaussianData example() {
        return new GaussianData(Nd4j.createFromArray(new float[][] {{0.5f, -1f, 2f, 0f}}), 0.3);
    }
}
