package dev.sit.cli;

import dev.sit.core.config.ResolvedExperiment;

/** Runs the stages of a validated experiment. */
final class ExperimentRunner {

    private ExperimentRunner() {
    }

    static int run(ResolvedExperiment resolved) {
        System.err.println("experiment '" + resolved.experiment().name() + "' is valid, but running stages is not built yet:"
                + " training and sampling arrive with the training and sampler issues. Use --dry-run to see the resolved experiment.");
        return 3;
    }
}
