package dev.sit.plugins.interpolants;

import dev.sit.api.transport.Interpolant;

/**
 * A path that is not bundled, written as a third party would: four plain functions, nothing else.
 * {@code alpha = (1 - cos(pi t)) / 2}, {@code sigma = (1 + cos(pi t)) / 2}.
 */
final class CosinePath implements Interpolant {

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
}
