package dev.sit.core.config;

/** The shape of the learning rate after warm-up ({@code train.lr_schedule}). */
public enum LrSchedule {
    /** {@code lr} throughout (the reference). */
    CONSTANT,
    /** Half a cosine from {@code lr} down to {@code min_lr} at the last step. */
    COSINE,
    /** A straight line from {@code lr} down to {@code min_lr} at the last step. */
    LINEAR
}
