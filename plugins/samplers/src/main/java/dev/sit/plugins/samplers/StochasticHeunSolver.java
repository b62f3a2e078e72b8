package dev.sit.plugins.samplers;

import dev.sit.api.sampling.NoiseSource;
import dev.sit.api.sampling.SdeSolver;
import dev.sit.api.sampling.VectorField;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SiT's stochastic Heun step: noise first, then a deterministic Heun step from the noised state.
 * With one draw {@code w ~ N(0, I)}: {@code xhat = x + sqrt(2 w(t)) * (w sqrt(dt))},
 * {@code K1 = f(xhat, t)}, {@code K2 = f(xhat + dt K1, t + dt)} ({@code t + dt} summed in float32,
 * as the reference, where it can land exactly on a singular end point),
 * {@code x' = xhat + dt/2 (K1 + K2)}; two drift evaluations per step.
 */
public final class StochasticHeunSolver implements SdeSolver {

    @Override
    public INDArray step(VectorField drift, DoubleUnaryOperator diffusion, INDArray x, double t, double dt,
            NoiseSource noise) {
        float tf = (float) t;
        float dtf = (float) dt;
        INDArray dw = noise.next(x.shape()).mul((float) Math.sqrt(dtf));
        float noiseScale = (float) Math.sqrt(2 * diffusion.applyAsDouble(t));
        INDArray xhat = x.add(dw.muli(noiseScale));
        INDArray k1 = drift.drift(xhat, t);
        INDArray xp = xhat.add(k1.mul(dtf));
        INDArray k2 = drift.drift(xp, tf + dtf);
        return xhat.add(k1.add(k2).muli(0.5f * dtf));
    }
}
