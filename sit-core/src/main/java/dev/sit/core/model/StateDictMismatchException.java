package dev.sit.core.model;

/** A state dict does not fit the configured model; the message names keys, shapes and the likely setting. */
public final class StateDictMismatchException extends IllegalArgumentException {

    public StateDictMismatchException(String message) {
        super(message);
    }
}
