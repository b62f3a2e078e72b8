package dev.sit.core.vae;

/** The VAE weights asked for are not on this machine; the message says which files to put where. */
public final class VaeNotFoundException extends IllegalStateException {

    public VaeNotFoundException(String message) {
        super(message);
    }
}
