package dev.sit.api.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A time-dependent vector field on a batch: {@code dx/dt = drift(x, t)}, one {@code t} for the whole batch. */
@FunctionalInterface
public interface VectorField {

    /** The drift at {@code x} (batch first); must not modify {@code x}. */
    INDArray drift(INDArray x, double t);
}
