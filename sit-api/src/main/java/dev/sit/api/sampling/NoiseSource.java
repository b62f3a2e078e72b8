package dev.sit.api.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Standard normal noise for samplers: seeded in normal runs, replayed from a file in reproductions. */
@FunctionalInterface
public interface NoiseSource {

    /** A new float32 array of the given shape with independent N(0, 1) entries. */
    INDArray next(long... shape);
}
