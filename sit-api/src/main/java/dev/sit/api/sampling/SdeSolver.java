package dev.sit.api.sampling;

import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One step of an SDE {@code dx = f(x, t) dt + sqrt(2 w(t)) dW} from {@code t} to {@code t + dt}.
 * The host walks the time grid, counts evaluations and applies the last step; a solver draws
 * exactly the noise it needs from {@code noise} (the bundled solvers: one draw of the shape of
 * {@code x} per step). Times are float32 values, as the reference's grids; a solver that needs
 * {@code t + dt} forms it in float32.
 */
public interface SdeSolver {

    /**
     * @param drift     the SDE drift {@code f(x, t)}
     * @param diffusion {@code w(t)}
     * @return the new state (a new array; {@code x} is not modified)
     */
    INDArray step(VectorField drift, DoubleUnaryOperator diffusion, INDArray x, double t, double dt, NoiseSource noise);
}
