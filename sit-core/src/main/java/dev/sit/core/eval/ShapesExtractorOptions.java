package dev.sit.core.eval;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** Options of the {@code shapes} feature extractor (YAML key {@code per_class}). */
public record ShapesExtractorOptions(
        @Doc("real shapes images per class that define the class prototypes and feature scales")
        @Range(min = 2, max = 100000) Integer perClass) {

    public ShapesExtractorOptions {
        if (perClass == null) {
            perClass = 200;
        }
    }
}
