package dev.sit.plugins.samplers;

import dev.sit.api.sampling.OdeSystem;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * torchdiffeq's {@code rk4}: Kutta's 3/8 rule (not the classic RK4), four evaluations per step:
 * {@code k1 = f(t, y)}, {@code k2 = f(t + dt/3, y + dt k1/3)},
 * {@code k3 = f(t + 2dt/3, y + dt (k2 - k1/3))}, {@code k4 = f(t1, y + dt (k1 - k2 + k3))},
 * {@code dy = (k1 + 3 (k2 + k3) + k4) dt / 8}.
 */
public final class ThreeEighthsRk4Solver extends FixedGridSolver {

    private static final float ONE_THIRD = (float) (1.0 / 3.0);
    private static final float TWO_THIRDS = (float) (2.0 / 3.0);

    @Override
    protected INDArray[] increment(OdeSystem f, float t0, float dt, float t1, INDArray[] y0) {
        INDArray[] k1 = f.derivative(t0, y0);
        INDArray[] k2 = f.derivative(t0 + dt * ONE_THIRD, combine(y0, dt, k1, ONE_THIRD, null, 0f, null, 0f));
        INDArray[] k3 = f.derivative(t0 + dt * TWO_THIRDS, combine(y0, dt, k2, 1f, k1, -ONE_THIRD, null, 0f));
        INDArray[] k4 = f.derivative(t1, combine(y0, dt, k1, 1f, k2, -1f, k3, 1f));
        INDArray[] dy = new INDArray[y0.length];
        for (int p = 0; p < y0.length; p++) {
            dy[p] = k2[p].add(k3[p]).muli(3f).addi(k1[p]).addi(k4[p]).muli(dt).muli(0.125f);
        }
        return dy;
    }

    /** {@code y0 + dt * (a ka + b kb + c kc)} with the absent terms left out. */
    private static INDArray[] combine(INDArray[] y0, float dt, INDArray[] ka, float a, INDArray[] kb, float b,
            INDArray[] kc, float c) {
        INDArray[] out = new INDArray[y0.length];
        for (int p = 0; p < y0.length; p++) {
            INDArray sum = ka[p].mul(a);
            if (kb != null) {
                sum.addi(kb[p].mul(b));
            }
            if (kc != null) {
                sum.addi(kc[p].mul(c));
            }
            out[p] = y0[p].add(sum.muli(dt));
        }
        return out;
    }
}
