package dev.sit.core.config;

/** Probability-flow ODE or the SDE with the same marginals. */
public enum SamplerMode {
    ODE,
    SDE
}
