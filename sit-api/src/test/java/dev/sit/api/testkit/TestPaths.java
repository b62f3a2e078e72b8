package dev.sit.api.testkit;

import dev.sit.api.transport.PathCoefficients;

/** Path coefficients of SiT's Linear and VP paths (SIT-SPEC section 1), for the plugin test kits. */
public final class TestPaths {

    private static final double VP_SIGMA_MIN = 0.1;
    private static final double VP_SIGMA_MAX = 20.0;

    private TestPaths() {
    }

    /** Linear: alpha = t, sigma = 1 - t. */
    public static PathCoefficients linear(double t) {
        double sigma = 1 - t;
        double ratio = 1 / t;
        return new PathCoefficients(t, t, 1, sigma, -1, ratio, -ratio, ratio * sigma * sigma + sigma);
    }

    /** VP with sigma_min 0.1, sigma_max 20. */
    public static PathCoefficients vp(double t) {
        double m = -0.25 * (1 - t) * (1 - t) * (VP_SIGMA_MAX - VP_SIGMA_MIN) - 0.5 * (1 - t) * VP_SIGMA_MIN;
        double dm = 0.5 * (1 - t) * (VP_SIGMA_MAX - VP_SIGMA_MIN) + 0.5 * VP_SIGMA_MIN;
        double alpha = Math.exp(m);
        double sigma = Math.sqrt(1 - Math.exp(2 * m));
        double dSigma = Math.exp(2 * m) * 2 * dm / (-2 * sigma);
        double beta = VP_SIGMA_MIN + (1 - t) * (VP_SIGMA_MAX - VP_SIGMA_MIN);
        return new PathCoefficients(t, alpha, alpha * dm, sigma, dSigma, dm, -0.5 * beta, beta / 2);
    }
}
