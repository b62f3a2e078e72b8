package dev.sit.api.sampling;

/**
 * What a solve cost: function evaluations (NFE, calls of the vector field) and, for adaptive
 * solvers, accepted and rejected steps (for fixed grids every step is accepted and none rejected).
 */
public record SolverStats(long functionEvaluations, long acceptedSteps, long rejectedSteps) {

    /** Steps tried, accepted or not. */
    public long attemptedSteps() {
        return acceptedSteps + rejectedSteps;
    }

    /** One line for logs and progress bars, e.g. {@code "NFE 20 (3 steps accepted, 0 rejected)"}. */
    public String summary() {
        return "NFE " + functionEvaluations + " (" + acceptedSteps + " steps accepted, " + rejectedSteps + " rejected)";
    }
}
