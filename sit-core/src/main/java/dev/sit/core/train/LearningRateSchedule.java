package dev.sit.core.train;

import dev.sit.core.config.LrSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The learning rate of each optimisation step: linear warm-up, then constant, cosine or linear decay
 * to {@code min_lr}. The step index {@code i} is Adam's iteration count before the update (0 for the
 * first step), which a resumed run restores from the checkpoint's step, so the schedule position is
 * part of every checkpoint:
 * <ul>
 *   <li>warm-up, {@code i < W}: {@code lr (i + 1) / W};</li>
 *   <li>then, with {@code p = min(1, (i - W) / (T - W))} ({@code T} the run's total steps):
 *       constant {@code lr}; cosine {@code min + (lr - min) (1 + cos(pi p)) / 2};
 *       linear {@code min + (lr - min) (1 - p)}.</li>
 * </ul>
 *
 * @param lr          the peak learning rate {@code train.lr}
 * @param minLr       the end of the decay {@code train.min_lr}
 * @param warmupSteps {@code W = train.warmup_steps}
 * @param totalSteps  {@code T}, the step the decay reaches {@code min_lr} at
 * @param shape       {@code train.lr_schedule}
 */
public record LearningRateSchedule(double lr, double minLr, long warmupSteps, long totalSteps, LrSchedule shape)
        implements ISchedule {

    public LearningRateSchedule {
        if (!(lr > 0) || !(minLr >= 0) || warmupSteps < 0 || totalSteps < 1 || shape == null) {
            throw new IllegalArgumentException("a learning rate schedule needs lr > 0, min_lr >= 0, warmup_steps >= 0 "
                    + "and at least one step, got lr " + lr + ", min_lr " + minLr + ", warmup_steps " + warmupSteps
                    + ", " + totalSteps + " steps");
        }
    }

    /** The reference's constant rate. */
    public static LearningRateSchedule constant(double lr) {
        return new LearningRateSchedule(lr, 0.0, 0, 1, LrSchedule.CONSTANT);
    }

    /** The learning rate of the update at step index {@code i} (0-based). */
    public double at(long i) {
        if (i < warmupSteps) {
            return lr * (i + 1) / warmupSteps;
        }
        if (shape == LrSchedule.CONSTANT) {
            return lr;
        }
        double p = Math.min(1.0, (double) (i - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        double fraction = shape == LrSchedule.COSINE ? (1 + Math.cos(Math.PI * p)) / 2 : 1 - p;
        return minLr + (lr - minLr) * fraction;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return at(iteration);
    }

    @Override
    public ISchedule clone() {
        return this;
    }
}
