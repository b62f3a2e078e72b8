package dev.sit.plugins.interpolants;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** Options of the {@code data} prediction target. */
public record DataOptions(
        @Doc("smallest sigma(t) divided by when the data prediction becomes a velocity or score (JiT clips 1 - t at 0.05)")
        @Range(min = 0, minExclusive = true, max = 1)
        Double minSigma) {

    public DataOptions {
        minSigma = minSigma == null ? 0.05 : minSigma;
    }
}
