package dev.sit.core.train;

/**
 * Everything besides tensors that a resumed run needs to continue the same loss curve: the
 * step, the data position (epoch and offset into that epoch's seeded order) and the seed from
 * which every random draw of a step is derived (so the RNG state is the pair seed, step).
 */
public record TrainingState(long step, long epoch, long dataOffset, long seed, double lastLoss) {
}
