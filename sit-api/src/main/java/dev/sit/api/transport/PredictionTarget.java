package dev.sit.api.transport;

/**
 * What the network predicts. Everything is a scalar, per-sample recipe; the host applies it to
 * tensors:
 * <ul>
 *   <li>training: {@code loss = w * mean((outScale * out - (x1Coefficient * x1 + x0Coefficient * x0))^2)}
 *       ({@link Regression});</li>
 *   <li>sampling: ODE drift {@code v = outCoefficient * out + xCoefficient * x} and score
 *       {@code s = outCoefficient * out + xCoefficient * x} ({@link Affine}).</li>
 * </ul>
 */
public interface PredictionTarget {

    /** The regression that the training loss measures, at the path coefficients of one sample. */
    Regression regression(PathCoefficients c);

    /** The probability-flow ODE drift as an affine map of the model output and the state. */
    Affine toVelocity(PathCoefficients c);

    /** The score {@code grad log p_t(x)} as an affine map of the model output and the state. */
    Affine toScore(PathCoefficients c);

    /**
     * True when the model predicts the velocity: the reference then ignores any loss weight and,
     * for {@link EndpointRule#BOTH_ENDS} paths, forces both eps to 0.
     */
    default boolean isVelocity() {
        return false;
    }
}
