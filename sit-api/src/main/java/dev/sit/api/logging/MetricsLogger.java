package dev.sit.api.logging;

import java.util.Map;

/**
 * Receives what a run reports: its configuration at the start, scalars and images by step,
 * and its end. A logger knows nothing of training; it must never stop the run: failures are
 * reported, not thrown, except from {@link #start} when the logger cannot work at all.
 */
public interface MetricsLogger extends AutoCloseable {

    /** Called once before the first step (or on resume, with {@link RunContext#startStep()} > 0). */
    void start(RunContext run) throws Exception;

    /** Scalars of one step, for example {@code loss}, {@code steps_per_sec}, {@code images_per_sec}. */
    void logScalars(long step, Map<String, Double> scalars);

    /** An image of one step, for example the EMA sample grid. */
    void logImage(long step, LoggedImage image);

    /**
     * A line of progress text for people (for example {@code Training for 80 epochs...}); loggers
     * that keep a text log write it there, the others ignore it.
     */
    default void logMessage(String message) {
    }

    /** The run ended with this exit code (0 = success); flush and release everything. */
    void finish(int exitCode);

    /** Same as {@code finish(0)} if not finished yet. */
    @Override
    default void close() {
        finish(0);
    }
}
