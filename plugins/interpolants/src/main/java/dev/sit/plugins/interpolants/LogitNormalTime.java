package dev.sit.plugins.interpolants;

import dev.sit.api.transport.RandomDraws;
import dev.sit.api.transport.TimeSampler;
import org.apache.commons.math3.special.Erf;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SD3's logit-normal times: {@code t = sigmoid(mean + std n)}, {@code n ~ N(0, 1)}, so
 * {@code F(t) = Phi((logit(t) - mean) / std)}. With mean 0 the density peaks at {@code t = 1/2},
 * where the velocity is hardest to predict, and vanishes at both ends. With a uniform fraction
 * {@code f > 0}, each draw is {@code U[0, 1]} with probability {@code f}:
 * {@code F(t) = f t + (1 - f) Phi((logit(t) - mean) / std)}, so the ends are trained too.
 */
public final class LogitNormalTime implements TimeSampler {

    private final double mean;
    private final double std;
    private final double uniformFraction;

    public LogitNormalTime(LogitNormalOptions options) {
        this.mean = options.mean();
        this.std = options.std();
        this.uniformFraction = options.uniformFraction();
    }

    @Override
    public INDArray sample(long n, RandomDraws draws) {
        INDArray z = draws.normal(n).muli(std).addi(mean);
        INDArray t = Transforms.sigmoid(z, false);
        if (uniformFraction == 0) {
            return t; // no further draws: the same times as before the option existed
        }
        INDArray uniform = draws.uniform(n);
        INDArray pick = draws.uniform(n).lt(uniformFraction).castTo(t.dataType()); // 1: take the uniform draw
        return t.addi(uniform.castTo(t.dataType()).subi(t).muli(pick));
    }

    @Override
    public double cdf(double t) {
        if (t <= 0) {
            return 0.0;
        }
        if (t >= 1) {
            return 1.0;
        }
        double z = (Math.log(t / (1 - t)) - mean) / std;
        return uniformFraction * t + (1 - uniformFraction) * 0.5 * Erf.erfc(-z / Math.sqrt(2));
    }

    @Override
    public String toString() {
        return "logit-normal(mean=" + mean + ", std=" + std
                + (uniformFraction == 0 ? "" : ", uniform_fraction=" + uniformFraction) + ")";
    }
}
