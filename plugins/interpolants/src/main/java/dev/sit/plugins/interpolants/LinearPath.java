package dev.sit.plugins.interpolants;

import dev.sit.api.transport.Interpolant;

/**
 * The linear path ({@code ICPlan}): {@code alpha = t}, {@code sigma = 1 - t}; {@code d_alpha = 1},
 * {@code d_sigma = -1}, {@code d_alpha / alpha = 1 / t}. SDE drift (generic):
 * {@code drift_mean = -(1/t) x}, {@code drift_var = (1/t) sigma^2 - sigma d_sigma = (1 - t) / t}.
 */
public final class LinearPath implements Interpolant {

    @Override
    public double alpha(double t) {
        return t;
    }

    @Override
    public double dAlpha(double t) {
        return 1.0;
    }

    @Override
    public double sigma(double t) {
        return 1.0 - t;
    }

    @Override
    public double dSigma(double t) {
        return -1.0;
    }

    @Override
    public double dAlphaOverAlpha(double t) {
        return 1.0 / t;
    }

    @Override
    public String toString() {
        return "Linear";
    }
}
