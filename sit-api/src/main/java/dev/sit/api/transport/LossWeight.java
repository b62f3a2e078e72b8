package dev.sit.api.transport;

/**
 * The per-sample weight {@code w} of the training loss, a function of the path coefficients
 * of the sample's {@code t}. The bundled weights are {@code none} ({@code w = 1}),
 * {@code velocity} ({@code w = (drift_var / sigma)^2}) and {@code likelihood}
 * ({@code w = drift_var / sigma^2}). Velocity targets ignore the weight, as the reference does.
 */
public interface LossWeight {

    /** {@code w} for one sample; must be finite and non-negative on the open interval (0, 1). */
    double weight(PathCoefficients c);

    /**
     * True when {@code w = 1} for every {@code t} (the {@code none} weight). The host warns when a
     * weight that is not uniform is combined with a velocity target, which ignores it.
     */
    default boolean isUniform() {
        return false;
    }
}
