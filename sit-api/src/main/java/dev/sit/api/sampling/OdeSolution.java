package dev.sit.api.sampling;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of {@link OdeSolver#solve}: the states at the requested times (all of them, or only
 * the last when the trajectory was not kept), what the solve cost, and, for adaptive solvers,
 * every attempted step in order (empty for fixed grids).
 */
public record OdeSolution(List<INDArray[]> states, SolverStats stats, List<AdaptiveStep> steps) {

    public OdeSolution {
        if (states == null || states.isEmpty()) {
            throw new IllegalArgumentException("an ODE solution needs at least one state");
        }
        states = List.copyOf(states);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** A solution without a step history (fixed-grid solvers). */
    public OdeSolution(List<INDArray[]> states, SolverStats stats) {
        this(states, stats, List.of());
    }

    /** The state at the last requested time. */
    public INDArray[] last() {
        return states.get(states.size() - 1);
    }
}
