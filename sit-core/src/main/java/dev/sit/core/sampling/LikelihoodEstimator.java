package dev.sit.core.sampling;

import dev.sit.api.sampling.OdeSolution;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.VectorField;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Log-likelihood by the instantaneous change of variables (SiT's {@code sample_ode_likelihood}).
 * The state {@code (x, delta_logp)} starts at {@code (data, 0)} and is integrated in solver time
 * {@code s} over the ODE interval {@code [t0, t1]} (data to noise: the model time is
 * {@code tau = 1 - s}, in float32) with
 * <pre>
 * dx/ds = -v(x, tau),   d(delta_logp)/ds = sum(e * (e^T dv/dx))   (Hutchinson, fresh probe e per evaluation)
 * </pre>
 * Then {@code logp = prior_logp(z) - delta_logp} with {@code z} the final state,
 * {@code prior_logp(z) = -N/2 ln(2 pi) - |z|^2 / 2} ({@code N} elements per sample), and
 * {@code bits/dim = -logp / (N ln 2) + offset} (the offset accounts for the data scaling, e.g.
 * dequantisation; 0 for latents). Guidance is not part of this: the velocity must be the plain model's.
 */
public final class LikelihoodEstimator {

    private final OdeSolver solver;

    public LikelihoodEstimator(OdeSolver solver) {
        if (solver == null) {
            throw new IllegalArgumentException("the ODE solver is null");
        }
        this.solver = solver;
    }

    /** Estimates on {@code TimeGrid.linspace(t0, t1, numSteps)} (solver time, increasing). */
    public Likelihood estimate(VectorField velocity, VectorJacobianProduct vjp, INDArray data, HutchinsonProbe probes,
            double t0, double t1, int numSteps, double bitsPerDimOffset) {
        if (numSteps < 2) {
            throw new IllegalArgumentException("likelihood needs num_steps >= 2, got " + numSteps);
        }
        return estimate(velocity, vjp, data, probes, TimeGrid.linspace(t0, t1, numSteps), bitsPerDimOffset);
    }

    /** Estimates on a given solver-time grid. */
    public Likelihood estimate(VectorField velocity, VectorJacobianProduct vjp, INDArray data, HutchinsonProbe probes,
            double[] grid, double bitsPerDimOffset) {
        if (velocity == null || vjp == null || probes == null) {
            throw new IllegalArgumentException("likelihood needs a velocity field, its vector-Jacobian product and a probe source");
        }
        if (data == null || data.rank() < 2) {
            throw new IllegalArgumentException("likelihood needs a batch of data of shape (B, ...), got "
                    + (data == null ? "null" : Arrays.toString(data.shape())));
        }
        if (grid.length > 1 && grid[grid.length - 1] < grid[0]) {
            throw new IllegalArgumentException("the likelihood ODE runs in solver time from t0 to t1 > t0 (data to noise is "
                    + "built in); got a decreasing grid " + grid[0] + " .. " + grid[grid.length - 1]);
        }
        long batch = data.size(0);
        long perSample = data.length() / batch;
        EvaluationCounter velocityCalls = new EvaluationCounter();
        EvaluationCounter vjpCalls = new EvaluationCounter();
        VectorField v = velocityCalls.counting(velocity);
        VectorJacobianProduct jvp = vjpCalls.counting(vjp);

        INDArray[] y0 = {data, Nd4j.zeros(DataType.FLOAT, batch)};
        OdeSolution solution = solver.solve((s, y) -> {
            INDArray x = y[0];
            double tau = 1f - (float) s;
            INDArray probe = probes.next(x.shape());
            INDArray vjpValue = jvp.vjp(x, tau, probe);
            // summed in float64: ND4J's float32 sum is sequential, torch's is pairwise; the
            // rounding of this sum sets the adaptive solver's error ratios on tiny steps
            INDArray divergence = vjpValue.mul(probe).reshape(batch, perSample).castTo(DataType.DOUBLE).sum(1)
                    .castTo(DataType.FLOAT);
            return new INDArray[] {v.drift(x, tau).neg(), divergence};
        }, y0, grid, false);

        INDArray latent = solution.last()[0];
        INDArray deltaLogp = solution.last()[1];
        INDArray flat = latent.castTo(DataType.DOUBLE).reshape(batch, perSample);
        INDArray prior = flat.mul(flat).sum(1).muli(-0.5).subi(perSample / 2.0 * Math.log(2 * Math.PI));
        INDArray logp = prior.subi(deltaLogp.castTo(DataType.DOUBLE));
        INDArray bits = logp.neg().divi(perSample * Math.log(2)).addi(bitsPerDimOffset);
        return new Likelihood(logp.castTo(DataType.FLOAT), bits.castTo(DataType.FLOAT), latent, solution.stats(),
                solution.steps(), velocityCalls.evaluations(), vjpCalls.evaluations());
    }
}
