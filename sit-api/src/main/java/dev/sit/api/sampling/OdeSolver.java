package dev.sit.api.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Integrates an {@link OdeSystem} with torchdiffeq's {@code odeint} semantics: the solution at
 * every entry of {@code times} (the first being {@code y0}). Fixed-grid methods step on that
 * grid; adaptive ones choose their own steps and interpolate at the grid points.
 */
public interface OdeSolver {

    /**
     * @param keepTrajectory keep the state at every time (true) or only the last (false, to save memory)
     */
    OdeSolution solve(OdeSystem system, INDArray[] y0, double[] times, boolean keepTrajectory);
}
