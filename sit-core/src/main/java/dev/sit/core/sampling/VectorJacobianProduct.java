package dev.sit.core.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The vector-Jacobian product of a vector field {@code F} at {@code (x, t)}:
 * {@code (v^T dF/dx)}, the gradient of {@code sum(F(x, t) * v)} with respect to {@code x}, with the
 * shape of {@code x}. Used for Hutchinson divergence estimates.
 */
@FunctionalInterface
public interface VectorJacobianProduct {

    INDArray vjp(INDArray x, double t, INDArray v);
}
