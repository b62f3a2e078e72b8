package dev.sit.core.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a run reports as it goes, instead of printing: the command line renders these events as
 * progress bars and console lines, an embedding program does what it likes with them. Every
 * method has an empty default, so a listener overrides only what it needs. Events arrive on the
 * thread that runs the experiment, in order.
 */
public interface RunListener {

    /** A listener that ignores everything. */
    RunListener NONE = new RunListener() {
    };

    /** The run folder exists (with its experiment.yaml); stages follow. */
    default void runStarted(Path runFolder) {
    }

    /**
     * A stage (or one part of it, such as one sampler setting) starts.
     *
     * @param description what it does, for a header line
     * @param total       units of work (training steps, images) when known, else 0
     * @param alreadyDone units finished by an earlier, interrupted run (resume)
     */
    default void stageStarted(Stage stage, String description, long total, long alreadyDone) {
    }

    /** Progress within the current stage: {@code done} of its total units; {@code detail} e.g. "loss 0.123". */
    default void progress(Stage stage, long done, String detail) {
    }

    /** The current stage (or part) ended; {@code summary} says what it did and cost. */
    default void stageFinished(Stage stage, String summary) {
    }

    /** Training logged scalars at this step (the loggers got the same values). */
    default void stepLogged(long step, Map<String, Double> scalars) {
    }

    /** An image was written (a sample grid), also handed to the loggers at {@code step}. */
    default void imageProduced(long step, Path file, String caption) {
    }

    /** A checkpoint folder was written atomically. */
    default void checkpointWritten(long step, Path checkpoint) {
    }

    /** A data file was written: raw samples (.npy), an evaluation archive (.npz), ... */
    default void fileWritten(Path file, String what) {
    }

    /** Something worth a line on the console. */
    default void info(String message) {
    }

    /** Something the user should know that does not stop the run. */
    default void warning(String message) {
    }

    /** The run ended normally. */
    default void runFinished(RunOutcome outcome) {
    }

    /** The run stopped with this error (it is also thrown to the caller). */
    default void runFailed(Throwable error) {
    }
}
