package dev.sit.plugins.samplers;

import dev.sit.api.sampling.OdeSystem;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Heun's second-order method (explicit trapezoid): {@code k1 = f(t, y)},
 * {@code k2 = f(t + dt, y + dt k1)}, {@code dy = dt (k1 + k2) / 2}; two evaluations per step.
 */
public final class Heun2Solver extends FixedGridSolver {

    @Override
    protected INDArray[] increment(OdeSystem f, float t0, float dt, float t1, INDArray[] y0) {
        INDArray[] k1 = f.derivative(t0, y0);
        INDArray[] k2 = f.derivative(t0 + dt, StateTuple.plusScaled(y0, dt, k1));
        INDArray[] dy = new INDArray[y0.length];
        for (int p = 0; p < y0.length; p++) {
            dy[p] = k1[p].mul(0.5f).addi(k2[p].mul(0.5f)).muli(dt);
        }
        return dy;
    }
}
