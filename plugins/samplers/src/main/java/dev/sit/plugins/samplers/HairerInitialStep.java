package dev.sit.plugins.samplers;

import dev.sit.api.sampling.OdeSystem;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The initial step size of adaptive solvers (Hairer, Norsett and Wanner, Solving ODEs I, II.4),
 * as torchdiffeq computes it: with {@code scale = atol + rtol |y0|},
 * {@code d0 = norm(y0 / scale)}, {@code d1 = norm(f0 / scale)},
 * {@code h0 = 1e-6} if either is below 1e-5, else {@code 0.01 d0 / d1};
 * {@code f1 = f(t0 + h0, y0 + h0 f0)}, {@code d2 = norm((f1 - f0) / scale) / h0};
 * {@code h1 = max(1e-6, h0 1e-3)} if {@code d1, d2 <= 1e-15}, else {@code (0.01 / max(d1, d2))^(1/order)}
 * (torchdiffeq passes {@code order - 1} and raises to {@code 1/(order - 1 + 1)});
 * the step is {@code min(100 h0, h1)}. One evaluation of {@code f} (the probe).
 */
final class HairerInitialStep {

    private HairerInitialStep() {
    }

    static double select(OdeSystem f, double t0, INDArray[] y0, INDArray[] f0, int order, double atol, double rtol) {
        INDArray[] scale = MixedRmsNorm.scale(y0, atol, rtol);
        double d0 = MixedRmsNorm.of(y0, scale);
        double d1 = MixedRmsNorm.of(f0, scale);
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.abs(h0);

        INDArray[] y1 = StateTuple.plusScaled(y0, (float) h0, f0);
        INDArray[] f1 = f.derivative((float) (t0 + h0), y1);
        INDArray[] df = new INDArray[f0.length];
        for (int p = 0; p < f0.length; p++) {
            df[p] = f1[p].sub(f0[p]);
        }
        double d2 = Math.abs(MixedRmsNorm.of(df, scale) / h0);

        double h1 = (d1 <= 1e-15 && d2 <= 1e-15)
                ? Math.max(1e-6, h0 * 1e-3)
                : Math.pow(0.01 / Math.max(d1, d2), 1.0 / order);
        return Math.min(100 * h0, Math.abs(h1));
    }
}
