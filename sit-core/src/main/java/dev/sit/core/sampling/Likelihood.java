package dev.sit.core.sampling;

import dev.sit.api.sampling.AdaptiveStep;
import dev.sit.api.sampling.SolverStats;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of {@link LikelihoodEstimator}: per-sample {@code logLikelihood} (nats, shape (B)),
 * {@code bitsPerDim} (shape (B)), the latent {@code z} the data flows to (shape of the data), the
 * solver's stats (NFE = evaluations of the augmented system) and step history, and the model
 * calls: {@code velocityEvaluations} + {@code vjpEvaluations}.
 */
public record Likelihood(
        INDArray logLikelihood,
        INDArray bitsPerDim,
        INDArray latent,
        SolverStats stats,
        List<AdaptiveStep> steps,
        long velocityEvaluations,
        long vjpEvaluations) {

    public Likelihood {
        steps = List.copyOf(steps);
    }
}
