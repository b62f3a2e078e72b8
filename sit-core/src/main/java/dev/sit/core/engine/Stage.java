package dev.sit.core.engine;

/** The stages of a run, in the order an experiment runs them. */
public enum Stage {
    /** {@code train:}: steps of the training loop. */
    TRAIN,
    /** {@code sample:}: grids, mass sampling (images), likelihoods. */
    SAMPLE,
    /** {@code eval:}: features and metrics of the samples. */
    EVAL
}
