package dev.sit.api.sampling;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of {@link OdeSolver#solve}: the states at the requested times (all of them, or only
 * the last when the trajectory was not kept) and what the solve cost.
 */
public record OdeSolution(List<INDArray[]> states, SolverStats stats) {

    /** The state at the last requested time. */
    public INDArray[] last() {
        return states.get(states.size() - 1);
    }
}
