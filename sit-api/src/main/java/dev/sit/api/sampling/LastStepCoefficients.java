package dev.sit.api.sampling;

/** See {@link LastStep}: the weights of state, SDE drift, ODE drift and score in the last step. */
public record LastStepCoefficients(
        double xCoefficient, double driftCoefficient, double velocityCoefficient, double scoreCoefficient) {

    /** The identity: no last step. */
    public static final LastStepCoefficients IDENTITY = new LastStepCoefficients(1, 0, 0, 0);
}
