package dev.sit.core.vae;

import java.util.List;

/**
 * The tensors of a VAE checkpoint do not fit the architecture: every missing key, every unexpected key and
 * every shape mismatch is listed by name.
 */
public final class VaeWeightsMismatchException extends IllegalArgumentException {

    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> wrongShape;

    VaeWeightsMismatchException(String message, List<String> missing, List<String> unexpected,
                                List<String> wrongShape) {
        super(message);
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.wrongShape = List.copyOf(wrongShape);
    }

    /** Internal (CompVis) names the architecture needs that the checkpoint lacks. */
    public List<String> missing() {
        return missing;
    }

    /** Checkpoint keys (as written in the file) that belong to no parameter of the architecture. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** "name: expected [..], got [..]" for every tensor of the wrong shape. */
    public List<String> wrongShape() {
        return wrongShape;
    }
}
