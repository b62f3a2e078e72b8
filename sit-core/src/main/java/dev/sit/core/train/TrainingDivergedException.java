package dev.sit.core.train;

/** The loss became NaN or infinite: the run stops and keeps its last good checkpoint. */
public final class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
