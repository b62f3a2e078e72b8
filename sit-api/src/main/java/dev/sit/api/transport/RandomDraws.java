package dev.sit.api.transport;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The seeded random numbers a {@link TimeSampler} draws from. The host hands in the generator of
 * the training step (seeded by (seed, step)), so the same run draws the same times.
 */
public interface RandomDraws {

    /** A new float32 vector of {@code n} independent draws from U[0, 1). */
    INDArray uniform(long n);

    /** A new float32 vector of {@code n} independent draws from N(0, 1). */
    INDArray normal(long n);
}
