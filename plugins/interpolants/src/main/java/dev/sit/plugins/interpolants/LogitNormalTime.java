package dev.sit.plugins.interpolants;

import dev.sit.api.transport.RandomDraws;
import dev.sit.api.transport.TimeSampler;
import org.apache.commons.math3.special.Erf;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SD3's logit-normal times: {@code t = sigmoid(mean + std n)}, {@code n ~ N(0, 1)}, so
 * {@code F(t) = Phi((logit(t) - mean) / std)}. With mean 0 the density peaks at {@code t = 1/2},
 * where the velocity is hardest to predict, and vanishes at both ends.
 */
public final class LogitNormalTime implements TimeSampler {

    private final double mean;
    private final double std;

    public LogitNormalTime(LogitNormalOptions options) {
        this.mean = options.mean();
        this.std = options.std();
    }

    @Override
    public INDArray sample(long n, RandomDraws draws) {
        INDArray z = draws.normal(n).muli(std).addi(mean);
        return Transforms.sigmoid(z, false);
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
        return 0.5 * Erf.erfc(-z / Math.sqrt(2));
    }

    @Override
    public String toString() {
        return "logit-normal(mean=" + mean + ", std=" + std + ")";
    }
}
