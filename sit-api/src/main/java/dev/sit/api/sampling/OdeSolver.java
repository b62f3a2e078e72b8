package dev.sit.api.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Integrates an {@link OdeSystem} with torchdiffeq's {@code odeint} semantics: the solution at
 * every entry of {@code times} (the first being {@code y0}). {@code times} must be strictly
 * increasing or strictly decreasing; a decreasing grid is solved as torchdiffeq does, in
 * {@code s = -t} with {@code dy/ds = -f(-s, y)}. Fixed-grid methods step on that grid (time
 * arithmetic in float32, as the reference's float32 grids); adaptive ones choose their own steps
 * (times in float64, the stages evaluated at float32 times) and interpolate at the grid points.
 */
public interface OdeSolver {

    /**
     * @param keepTrajectory keep the state at every time (true) or only the last (false, to save memory)
     */
    OdeSolution solve(OdeSystem system, INDArray[] y0, double[] times, boolean keepTrajectory);
}
