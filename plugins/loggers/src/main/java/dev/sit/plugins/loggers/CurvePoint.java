package dev.sit.plugins.loggers;

/** One point of a curve: a training step and the value there. */
public record CurvePoint(long step, double value) {
}
