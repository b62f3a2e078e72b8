package dev.sit.api.transport;

/**
 * The per-sample weight {@code w} of the training loss, a function of the path coefficients
 * of the sample's {@code t} (for example {@code drift_var / sigma^2}). Velocity targets ignore it.
 */
public interface LossWeight {

    double weight(PathCoefficients c);
}
