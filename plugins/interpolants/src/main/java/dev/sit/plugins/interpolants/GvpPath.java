package dev.sit.plugins.interpolants;

import dev.sit.api.transport.Interpolant;

/**
 * The generalised variance-preserving path ({@code GVPCPlan}): {@code alpha = sin(pi t / 2)},
 * {@code sigma = cos(pi t / 2)}, so {@code alpha^2 + sigma^2 = 1};
 * {@code d_alpha = pi/2 cos(pi t / 2)}, {@code d_sigma = -pi/2 sin(pi t / 2)},
 * {@code d_alpha / alpha = pi / (2 tan(pi t / 2))}. SDE drift (generic):
 * {@code drift_mean = -(d_alpha/alpha) x}, {@code drift_var = (d_alpha/alpha) sigma^2 - sigma d_sigma}.
 */
public final class GvpPath implements Interpolant {

    private static final double HALF_PI = Math.PI / 2;

    @Override
    public double alpha(double t) {
        return Math.sin(HALF_PI * t);
    }

    @Override
    public double dAlpha(double t) {
        return HALF_PI * Math.cos(HALF_PI * t);
    }

    @Override
    public double sigma(double t) {
        return Math.cos(HALF_PI * t);
    }

    @Override
    public double dSigma(double t) {
        return -HALF_PI * Math.sin(HALF_PI * t);
    }

    @Override
    public double dAlphaOverAlpha(double t) {
        return Math.PI / (2 * Math.tan(HALF_PI * t));
    }

    @Override
    public String toString() {
        return "GVP";
    }
}
