package dev.sit.core.engine;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a run ended.
 *
 * @param runFolder      the run folder (results/NNN-name), or empty for runs without one ({@code sit sample})
 * @param trainedToStep  the step training reached (0 without a train: stage)
 * @param lastLoss       the last training loss (NaN without training)
 * @param lastCheckpoint the last checkpoint written, if any
 */
public record RunOutcome(Optional<Path> runFolder, long trainedToStep, double lastLoss, Optional<Path> lastCheckpoint) {
}
