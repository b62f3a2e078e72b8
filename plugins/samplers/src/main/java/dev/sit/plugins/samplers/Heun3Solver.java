package dev.sit.plugins.samplers;

import dev.sit.api.sampling.OdeSystem;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Heun's third-order method: {@code k1 = f(t, y)}, {@code k2 = f(t + dt/3, y + dt k1/3)},
 * {@code k3 = f(t + 2dt/3, y + 2dt k2/3)}, {@code dy = dt (k1/4 + 3 k3/4)}; three evaluations per step.
 */
public final class Heun3Solver extends FixedGridSolver {

    private static final float ONE_THIRD = (float) (1.0 / 3.0);
    private static final float TWO_THIRDS = (float) (2.0 / 3.0);

    @Override
    protected INDArray[] increment(OdeSystem f, float t0, float dt, float t1, INDArray[] y0) {
        INDArray[] k1 = f.derivative(t0, y0);
        INDArray[] k2 = f.derivative(t0 + dt * ONE_THIRD, StateTuple.plusScaled(y0, dt * ONE_THIRD, k1));
        INDArray[] k3 = f.derivative(t0 + dt * TWO_THIRDS, StateTuple.plusScaled(y0, dt * TWO_THIRDS, k2));
        INDArray[] dy = new INDArray[y0.length];
        for (int p = 0; p < y0.length; p++) {
            dy[p] = k1[p].mul(0.25f).addi(k3[p].mul(0.75f)).muli(dt);
        }
        return dy;
    }
}
