package dev.sit.api.transport;

/**
 * Every path coefficient at one time {@code t}: {@code x_t = alpha x1 + sigma x0}, the target
 * velocity {@code u_t = dAlpha x1 + dSigma x0}, and the SDE drift terms
 * {@code drift_mean = driftMeanCoefficient * x}, {@code driftVar}.
 */
public record PathCoefficients(
        double t,
        double alpha,
        double dAlpha,
        double sigma,
        double dSigma,
        double dAlphaOverAlpha,
        double driftMeanCoefficient,
        double driftVar) {
}
