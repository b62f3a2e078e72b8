package dev.sit.example;

import dev.sit.api.transport.Interpolant;

/**
 * A cosine-eased linear path: {@code alpha(t) = (1 - cos(pi t)) / 2},
 * {@code sigma(t) = (1 + cos(pi t)) / 2}, so {@code alpha + sigma = 1} like Linear, but the path
 * lingers near noise and near data. Plain Java: no ND4J, nothing of sit's engine.
 */
public final class CosineInterpolant implements Interpolant {

    @Override
    public double alpha(double t) {
        return (1 - Math.cos(Math.PI * t)) / 2;
    }

    @Override
    public double dAlpha(double t) {
        return Math.PI / 2 * Math.sin(Math.PI * t);
    }

    @Override
    public double sigma(double t) {
        return (1 + Math.cos(Math.PI * t)) / 2;
    }

    @Override
    public double dSigma(double t) {
        return -Math.PI / 2 * Math.sin(Math.PI * t);
    }

    /** Closed form of d_alpha/alpha = pi sin(pi t) / (1 - cos(pi t)) = pi / tan(pi t / 2). */
    @Override
    public double dAlphaOverAlpha(double t) {
        return Math.PI / Math.tan(Math.PI * t / 2);
    }
}
