package dev.sit.api.sampling;

import dev.sit.api.transport.PathCoefficients;

/**
 * The diffusion coefficient {@code w(t)} of the sampling SDE
 * {@code dx = [v(x, t) + w(t) s(x, t)] dt + sqrt(2 w(t)) dW}; {@code norm} is the sampler's
 * diffusion norm (default 1).
 */
public interface DiffusionForm {

    double diffusion(PathCoefficients c, double norm);

    /**
     * Whether {@code w(t)} is singular at the noise end {@code t = 0} (SBDM's {@code drift_var} is
     * infinite there on Linear and GVP paths): the host then starts the SDE at {@code t0 = eps}
     * instead of 0, as the reference's {@code check_interval} does for SBDM. Default: false.
     */
    default boolean singularAtStart() {
        return false;
    }
}
