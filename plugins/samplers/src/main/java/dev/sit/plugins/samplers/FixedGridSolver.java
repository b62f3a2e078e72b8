package dev.sit.plugins.samplers;

import dev.sit.api.sampling.OdeSystem;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fixed-grid method as torchdiffeq runs it: one step from each grid point to the next, no
 * sub-steps, {@code y1 = y0 + dy}. Grid times are float32 and {@code dt = t1 - t0} is a float32
 * difference, as with the reference's float32 {@code linspace} grids.
 */
abstract class FixedGridSolver extends OdeintSolver {

    /** The increment {@code dy} of one step from {@code t0} to {@code t1 = t0 + dt}. */
    protected abstract INDArray[] increment(OdeSystem f, float t0, float dt, float t1, INDArray[] y0);

    @Override
    protected final Integration integrate(OdeSystem f, INDArray[] y0, double[] ts, Output output) {
        INDArray[] y = y0;
        for (int i = 0; i + 1 < ts.length; i++) {
            float t0 = (float) ts[i];
            float t1 = (float) ts[i + 1];
            float dt = t1 - t0;
            y = StateTuple.plus(y, increment(f, t0, dt, t1, y));
            output.accept(y);
        }
        return new Integration(ts.length - 1, 0, List.of());
    }
}
