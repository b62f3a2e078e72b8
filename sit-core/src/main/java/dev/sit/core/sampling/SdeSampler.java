package dev.sit.core.sampling;

import dev.sit.api.sampling.DiffusionForm;
import dev.sit.api.sampling.LastStep;
import dev.sit.api.sampling.LastStepCoefficients;
import dev.sit.api.sampling.NoiseSource;
import dev.sit.api.sampling.SdeSolver;
import dev.sit.api.sampling.VectorField;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.core.transport.Interval;
import dev.sit.core.transport.IntervalRequest;
import dev.sit.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SDE sampling (SiT's {@code sample_sde}, SIT-SPEC section 5): {@code dx = f(x, t) dt + sqrt(2 w(t)) dW}
 * with {@code f = v + w s}, {@code v} and {@code s} the probability-flow drift and the score that
 * the {@link Transport} derives from ONE model output, {@code w} the diffusion form. On the grid
 * {@code linspace(t0, t1, numSteps)} one solver step is taken from each point but the last
 * ({@code dt = grid[1] - grid[0]}), then the last step at {@code t1} with size {@code h}.
 * The model sees nothing but {@code (x, t)}: guidance, labels and the network live in it.
 */
public final class SdeSampler {

    private final SdeSolver solver;
    private final DiffusionForm diffusionForm;
    private final double diffusionNorm;
    private final LastStep lastStep;
    private final double lastStepSize;

    /**
     * @param lastStepSize the last step's {@code h}; pass 0 when the last step is the identity
     *                     ("None"), as the reference does before choosing the interval
     */
    public SdeSampler(SdeSolver solver, DiffusionForm diffusionForm, double diffusionNorm, LastStep lastStep,
            double lastStepSize) {
        if (solver == null || diffusionForm == null || lastStep == null) {
            throw new IllegalArgumentException("SDE sampling needs a solver, a diffusion form and a last step");
        }
        if (!(lastStepSize >= 0) || Double.isInfinite(lastStepSize)) {
            throw new IllegalArgumentException("last_step_size must be a finite number >= 0, got " + lastStepSize);
        }
        if (!Double.isFinite(diffusionNorm)) {
            throw new IllegalArgumentException("diffusion_norm must be finite, got " + diffusionNorm);
        }
        this.solver = solver;
        this.diffusionForm = diffusionForm;
        this.diffusionNorm = diffusionNorm;
        this.lastStep = lastStep;
        this.lastStepSize = lastStepSize;
    }

    /**
     * The reference's SDE interval ({@code check_interval(..., sde=True, last_step_size=h)}); it depends on
     * whether the diffusion form is SBDM, which only the caller knows by name.
     */
    public Interval interval(Transport transport, boolean sbdmDiffusion) {
        return transport.interval(IntervalRequest.sde(sbdmDiffusion, lastStepSize));
    }

    /** Samples on {@code TimeGrid.linspace(t0, t1, numSteps)}. */
    public SdeSamples sample(Transport transport, VectorField model, INDArray x0, Interval interval, int numSteps,
            NoiseSource noise, boolean keepTrajectory) {
        if (numSteps < 2) {
            throw new IllegalArgumentException("SDE sampling needs num_steps >= 2, got " + numSteps);
        }
        return sample(transport, model, x0, TimeGrid.linspace(interval.t0(), interval.t1(), numSteps), noise,
                keepTrajectory);
    }

    /** Samples on a given increasing grid (e.g. a saved one for bit-exact reproductions). */
    public SdeSamples sample(Transport transport, VectorField model, INDArray x0, double[] grid, NoiseSource noise,
            boolean keepTrajectory) {
        if (transport == null || model == null || x0 == null || noise == null) {
            throw new IllegalArgumentException("SDE sampling needs a transport, a model, an initial state and a noise source");
        }
        if (grid.length < 2 || !(grid[1] > grid[0])) {
            throw new IllegalArgumentException("the SDE runs forward in time on at least 2 grid points, got "
                    + java.util.Arrays.toString(grid));
        }
        EvaluationCounter modelCalls = new EvaluationCounter();
        VectorField countedModel = modelCalls.counting(model);
        AtomicLong driftCalls = new AtomicLong();
        AtomicLong draws = new AtomicLong();
        NoiseSource countedNoise = shape -> {
            draws.incrementAndGet();
            return noise.next(shape);
        };
        DoubleUnaryOperator diffusion = t -> diffusionForm.diffusion(transport.samplingCoefficients(t), diffusionNorm);
        VectorField drift = (x, t) -> {
            driftCalls.incrementAndGet();
            INDArray out = countedModel.drift(x, t);
            INDArray v = transport.velocity(x, out, t);
            // always v + w s, as the reference: 0 * inf must stay NaN where the score is singular
            return v.addi(transport.score(x, out, t).muli(diffusion.applyAsDouble(t)));
        };

        double dt = (float) grid[1] - (float) grid[0];
        List<INDArray> states = new ArrayList<>();
        INDArray x = x0;
        for (int i = 0; i + 1 < grid.length; i++) {
            x = solver.step(drift, diffusion, x, grid[i], dt, countedNoise);
            keep(states, x, keepTrajectory);
        }
        x = applyLastStep(transport, countedModel, diffusion, x, grid[grid.length - 1]);
        keep(states, x, keepTrajectory);
        return new SdeSamples(states, modelCalls.evaluations(), driftCalls.get(), draws.get());
    }

    /** {@code x' = a x + b f + c v + d s} at {@code t1}, with one model call for whatever terms are needed. */
    private INDArray applyLastStep(Transport transport, VectorField model, DoubleUnaryOperator diffusion, INDArray x,
            double t1) {
        PathCoefficients at = transport.samplingCoefficients(t1);
        LastStepCoefficients k = lastStep.coefficients(at, lastStepSize);
        boolean needsModel = k.driftCoefficient() != 0 || k.velocityCoefficient() != 0 || k.scoreCoefficient() != 0;
        INDArray result = k.xCoefficient() == 1 ? x.dup() : x.mul(k.xCoefficient());
        if (!needsModel) {
            return result;
        }
        INDArray out = model.drift(x, t1);
        boolean needsVelocity = k.driftCoefficient() != 0 || k.velocityCoefficient() != 0;
        boolean needsScore = k.driftCoefficient() != 0 || k.scoreCoefficient() != 0;
        INDArray v = needsVelocity ? transport.velocity(x, out, t1) : null;
        INDArray s = needsScore ? transport.score(x, out, t1) : null;
        if (k.driftCoefficient() != 0) {
            INDArray f = v.add(s.mul(diffusion.applyAsDouble(t1)));
            result.addi(f.muli(k.driftCoefficient()));
        }
        if (k.velocityCoefficient() != 0) {
            result.addi(v.mul(k.velocityCoefficient()));
        }
        if (k.scoreCoefficient() != 0) {
            result.addi(s.mul(k.scoreCoefficient()));
        }
        return result;
    }

    private static void keep(List<INDArray> states, INDArray x, boolean keepTrajectory) {
        if (!keepTrajectory) {
            states.clear();
        }
        states.add(x);
    }
}
