package dev.sit.plugins.samplers;

import dev.sit.api.sampling.OdeSystem;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Explicit Euler on the output grid: {@code dy = dt * f(t0, y0)}; one evaluation per step. */
public final class EulerSolver extends FixedGridSolver {

    @Override
    protected INDArray[] increment(OdeSystem f, float t0, float dt, float t1, INDArray[] y0) {
        return StateTuple.scaled(dt, f.derivative(t0, y0));
    }
}
