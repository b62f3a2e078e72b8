package dev.sit.plugins.samplers;

import dev.sit.api.sampling.NoiseSource;
import dev.sit.api.sampling.SdeSolver;
import dev.sit.api.sampling.VectorField;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euler-Maruyama, as SiT's {@code sde} integrator: with one draw {@code w ~ N(0, I)},
 * {@code mean = x + f(x, t) dt} and {@code x' = mean + sqrt(2 w(t)) * (w sqrt(dt))};
 * one drift evaluation per step.
 */
public final class EulerMaruyamaSolver implements SdeSolver {

    @Override
    public INDArray step(VectorField drift, DoubleUnaryOperator diffusion, INDArray x, double t, double dt,
            NoiseSource noise) {
        float dtf = (float) dt;
        INDArray dw = noise.next(x.shape()).mul((float) Math.sqrt(dtf));
        float noiseScale = (float) Math.sqrt(2 * diffusion.applyAsDouble(t));
        INDArray mean = x.add(drift.drift(x, t).mul(dtf));
        return mean.addi(dw.muli(noiseScale));
    }
}
