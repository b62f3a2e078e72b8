package dev.sit.api.transport;

/**
 * A path between noise and data: {@code x_t = alpha(t) * x1 + sigma(t) * x0}, with {@code x1}
 * the data, {@code x0 ~ N(0, I)} the noise, {@code t = 0} pure noise and {@code t = 1} data.
 * Everything is a scalar function of one sample's {@code t}; the host broadcasts it over
 * tensors. A new path is these four functions (plus, optionally, closed forms of the derived
 * terms where the generic quotient would be inexact or singular).
 */
public interface Interpolant {

    /** alpha(t), the data coefficient. */
    double alpha(double t);

    /** d alpha / dt. */
    double dAlpha(double t);

    /** sigma(t), the noise coefficient. */
    double sigma(double t);

    /** d sigma / dt. */
    double dSigma(double t);

    /** {@code d_alpha / alpha}; override with a closed form where one exists (Linear: 1/t). */
    default double dAlphaOverAlpha(double t) {
        return dAlpha(t) / alpha(t);
    }

    /**
     * The drift of the SDE with the same marginals ("compute_drift"): {@code drift_mean =
     * meanCoefficient * x} and {@code drift_var}. Default (Linear, GVP):
     * {@code meanCoefficient = -(d_alpha/alpha)}, {@code drift_var = (d_alpha/alpha) sigma^2 - sigma d_sigma}.
     */
    default SdeDrift sdeDrift(double t) {
        double ratio = dAlphaOverAlpha(t);
        double sigma = sigma(t);
        return new SdeDrift(-ratio, ratio * sigma * sigma - sigma * dSigma(t));
    }

    /** Which ends of [0, 1] are singular; decides the eps rules of training and sampling. */
    default EndpointRule endpointRule() {
        return EndpointRule.BOTH_ENDS;
    }

    /** All coefficients at {@code t} in one record. */
    default PathCoefficients at(double t) {
        SdeDrift drift = sdeDrift(t);
        return new PathCoefficients(t, alpha(t), dAlpha(t), sigma(t), dSigma(t), dAlphaOverAlpha(t),
                drift.meanCoefficient(), drift.variance());
    }
}
