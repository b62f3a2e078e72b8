package dev.sit.plugins.samplers;

import dev.sit.api.sampling.OdeSystem;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The explicit midpoint method: {@code dy = dt * f(t0 + dt/2, y0 + (dt/2) f(t0, y0))}; two
 * evaluations per step.
 */
public final class MidpointSolver extends FixedGridSolver {

    @Override
    protected INDArray[] increment(OdeSystem f, float t0, float dt, float t1, INDArray[] y0) {
        float halfDt = 0.5f * dt;
        INDArray[] yMid = StateTuple.plusScaled(y0, halfDt, f.derivative(t0, y0));
        return StateTuple.scaled(dt, f.derivative(t0 + halfDt, yMid));
    }
}
