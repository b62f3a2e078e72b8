package dev.sit.core.sampling;

import dev.sit.api.sampling.AdaptiveStep;
import dev.sit.api.sampling.SolverStats;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * States of an ODE sampling run (every grid point, or only the last), what it cost (NFE counts
 * calls of the velocity field, i.e. model evaluations), and the adaptive step history.
 */
public record OdeSamples(List<INDArray> states, SolverStats stats, List<AdaptiveStep> steps) {

    public OdeSamples {
        states = List.copyOf(states);
        steps = List.copyOf(steps);
    }

    /** The state at the end of the grid. */
    public INDArray last() {
        return states.get(states.size() - 1);
    }
}
