package dev.sit.api.sampling;

/**
 * One attempted step of an adaptive solver, as torchdiffeq records it: the step from {@code t}
 * of size {@code dt}, whether it was accepted ({@code errorRatio <= 1}), its error ratio
 * {@code rms(err / (atol + rtol * max(|y0|, |y1|)))} and the size proposed for the next attempt.
 * For a decreasing time grid {@code t} decreases and {@code dt} is negative.
 */
public record AdaptiveStep(double t, double dt, boolean accepted, double errorRatio, double nextDt) {

    /** The end of the step, {@code t + dt}. */
    public double tEnd() {
        return t + dt;
    }
}
