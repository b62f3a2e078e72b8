package dev.sit.plugins.interpolants;

import dev.sit.api.transport.RandomDraws;
import dev.sit.api.transport.TimeSampler;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The reference's training times: {@code t ~ U[0, 1]}, {@code F(t) = t}. */
public final class UniformTime implements TimeSampler {

    @Override
    public INDArray sample(long n, RandomDraws draws) {
        return draws.uniform(n);
    }

    @Override
    public double cdf(double t) {
        return Math.min(1.0, Math.max(0.0, t));
    }

    @Override
    public boolean isUniform() {
        return true;
    }

    @Override
    public String toString() {
        return "uniform";
    }
}
