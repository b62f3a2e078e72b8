package dev.sit.core.transport;

/**
 * The time interval of training or sampling chosen by {@link Transport#interval}
 * (the reference's {@code check_interval}): training draws {@code t ~ U[t0, t1]}, samplers
 * integrate from {@code t0} to {@code t1}. After a reverse request {@code t0 > t1}.
 */
public record Interval(double t0, double t1) {

    /** {@code t1 - t0} (negative for a reversed interval). */
    public double length() {
        return t1 - t0;
    }
}
