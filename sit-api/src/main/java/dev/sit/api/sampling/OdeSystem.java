package dev.sit.api.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The right-hand side of an ODE whose state is a tuple of tensors (one for plain sampling;
 * state and log-density change for likelihoods), as torchdiffeq's tuple states.
 */
@FunctionalInterface
public interface OdeSystem {

    /** {@code dy/dt} at {@code (t, y)}, one array per state part; must not modify {@code y}. */
    INDArray[] derivative(double t, INDArray[] y);
}
