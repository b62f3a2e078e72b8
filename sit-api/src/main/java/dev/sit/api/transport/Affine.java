package dev.sit.api.transport;

/** {@code outCoefficient * out + xCoefficient * x}, with {@code out} the model output and {@code x} the state. */
public record Affine(double outCoefficient, double xCoefficient) {
}
