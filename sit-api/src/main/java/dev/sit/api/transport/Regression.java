package dev.sit.api.transport;

/**
 * The per-sample regression of training: the squared error of
 * {@code outScale * out} against {@code x1Coefficient * x1 + x0Coefficient * x0}.
 */
public record Regression(double outScale, double x1Coefficient, double x0Coefficient) {
}
