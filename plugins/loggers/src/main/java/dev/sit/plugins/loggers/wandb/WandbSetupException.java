package dev.sit.plugins.loggers.wandb;

/** The run cannot be created or resumed as configured (for example resume: must and no such run). */
public final class WandbSetupException extends Exception {

    public WandbSetupException(String message) {
        super(message);
    }
}
