package dev.sit.core.data;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** Options of the {@code shapes} dataset (YAML keys {@code size}, {@code image_size}, {@code seed}). */
public record ShapesOptions(
        @Doc("number of examples (each rendered on demand from its index)")
        @Range(min = 1) Long size,
        @Doc("image side in pixels; default: the run's image size, or 32")
        @Range(min = 8, max = 1024) Integer imageSize,
        @Doc("seed of the examples' position, size, rotation and colour jitter (not of the run)")
        Long seed) {

    public static final long DEFAULT_SIZE = 50_000;

    public ShapesOptions {
        if (size == null) {
            size = DEFAULT_SIZE;
        }
        if (seed == null) {
            seed = 0L;
        }
    }
}
