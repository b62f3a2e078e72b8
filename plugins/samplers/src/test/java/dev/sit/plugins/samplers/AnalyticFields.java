package dev.sit.plugins.samplers;

import dev.sit.api.sampling.VectorField;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The golden cases' fake models, in the reference's float32 operation order. */
final class AnalyticFields {

    private AnalyticFields() {
    }

    /** {@code v(x, t) = -(1 + t) x + 0.5 sin(3 t)} (ode-analytic, sde-injected-noise linear-velocity). */
    static final VectorField SINE_FORCED_DECAY = (x, t) -> {
        float tf = (float) t;
        float decay = -(1f + tf);
        float forcing = 0.5f * (float) Math.sin(3f * tf);
        return x.mul(decay).addi(forcing);
    };

    /** {@code v(x, t) = -(1 + t) x} (likelihood-analytic). */
    static final VectorField LINEAR_DECAY = (x, t) -> x.mul(-(1f + (float) t));

    /** Its vector-Jacobian product {@code e^T dv/dx = -(1 + t) e}. */
    static INDArray linearDecayVjp(INDArray x, double t, INDArray e) {
        return e.mul(-(1f + (float) t));
    }
}
