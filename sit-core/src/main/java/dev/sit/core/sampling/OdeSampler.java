package dev.sit.core.sampling;

import dev.sit.api.sampling.OdeSolution;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.SolverStats;
import dev.sit.api.sampling.VectorField;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Probability-flow ODE sampling, {@code dx/dt = v(x, t)} from {@code t0} to {@code t1} on the grid
 * {@code linspace(t0, t1, numSteps)} (SiT's {@code sample_ode}). For fixed-grid solvers
 * {@code numSteps - 1} is the number of steps; for adaptive ones it is only the number of output
 * points, and the cost is the reported NFE. A reversed interval ({@code t0 > t1}) integrates from
 * data to noise.
 */
public final class OdeSampler {

    private final OdeSolver solver;

    public OdeSampler(OdeSolver solver) {
        if (solver == null) {
            throw new IllegalArgumentException("the ODE solver is null");
        }
        this.solver = solver;
    }

    /** Samples on {@code TimeGrid.linspace(t0, t1, numSteps)}. */
    public OdeSamples sample(VectorField velocity, INDArray x0, double t0, double t1, int numSteps, boolean keepTrajectory) {
        if (numSteps < 2) {
            throw new IllegalArgumentException("ODE sampling needs num_steps >= 2 (the grid includes both ends), got "
                    + numSteps);
        }
        return sample(velocity, x0, TimeGrid.linspace(t0, t1, numSteps), keepTrajectory);
    }

    /** Samples on a given grid (e.g. a saved one, for bit-exact reproductions). */
    public OdeSamples sample(VectorField velocity, INDArray x0, double[] grid, boolean keepTrajectory) {
        if (velocity == null || x0 == null) {
            throw new IllegalArgumentException("ODE sampling needs a velocity field and an initial state");
        }
        EvaluationCounter counter = new EvaluationCounter();
        VectorField counted = counter.counting(velocity);
        OdeSolution solution = solver.solve((t, y) -> new INDArray[] {counted.drift(y[0], t)},
                new INDArray[] {x0}, grid, keepTrajectory);
        SolverStats solverStats = solution.stats();
        SolverStats stats = new SolverStats(counter.evaluations(), solverStats.acceptedSteps(), solverStats.rejectedSteps());
        return new OdeSamples(solution.states().stream().map(s -> s[0]).toList(), stats, solution.steps());
    }
}
