package dev.sit.api.transport;

/**
 * The path-dependent SDE drift terms at one time: {@code drift_mean = meanCoefficient * x}
 * and the scalar {@code drift_var}.
 */
public record SdeDrift(double meanCoefficient, double variance) {
}
