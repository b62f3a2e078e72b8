package dev.sit.api.sampling;

import dev.sit.api.transport.PathCoefficients;

/**
 * The final step of SDE sampling at {@code t1} with size {@code h} (the last-step size), as the
 * affine combination {@code x' = x xCoefficient + f(x,t1) driftCoefficient + v(x,t1) velocityCoefficient
 * + s(x,t1) scoreCoefficient}, where {@code f} is the SDE drift, {@code v} the ODE drift and
 * {@code s} the score. Terms with a zero coefficient are not evaluated.
 */
public interface LastStep {

    LastStepCoefficients coefficients(PathCoefficients atT1, double h);

    /**
     * Whether this step leaves {@code x} unchanged ({@code x' = x}, the reference's "None"): the
     * host then integrates the SDE up to {@code t1} itself, with last-step size 0 in the
     * interval rule. Default: false.
     */
    default boolean isIdentity() {
        return false;
    }
}
