package dev.sit.api.sampling;

/**
 * What a solve cost: function evaluations (NFE) and, for adaptive solvers, accepted and rejected
 * steps (zero rejections for fixed grids).
 */
public record SolverStats(long functionEvaluations, long acceptedSteps, long rejectedSteps) {
}
