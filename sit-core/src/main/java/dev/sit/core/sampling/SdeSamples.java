package dev.sit.core.sampling;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * States of an SDE sampling run: one per step and the last-step result ({@code numSteps} states,
 * as the reference's list, the initial state not included), or only the final one; and what it
 * cost. {@code modelEvaluations} counts calls of the model (each SDE drift evaluation calls it
 * once and derives velocity and score from that one output; the last step calls it once unless it
 * is the identity); {@code driftEvaluations} counts SDE drift evaluations {@code f = v + w s}
 * inside the steps. The reference calls its model twice per drift evaluation.
 */
public record SdeSamples(List<INDArray> states, long modelEvaluations, long driftEvaluations, long noiseDraws) {

    public SdeSamples {
        states = List.copyOf(states);
    }

    /** The final state. */
    public INDArray last() {
        return states.get(states.size() - 1);
    }
}
