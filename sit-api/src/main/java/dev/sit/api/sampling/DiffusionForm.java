package dev.sit.api.sampling;

import dev.sit.api.transport.PathCoefficients;

/**
 * The diffusion coefficient {@code w(t)} of the sampling SDE
 * {@code dx = [v(x, t) + w(t) s(x, t)] dt + sqrt(2 w(t)) dW}; {@code norm} is the sampler's
 * diffusion norm (default 1).
 */
public interface DiffusionForm {

    double diffusion(PathCoefficients c, double norm);
}
