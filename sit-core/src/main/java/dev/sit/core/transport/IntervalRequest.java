package dev.sit.core.transport;

/**
 * What the interval is for: the arguments of the reference's {@code check_interval}. Make one with
 * {@link #training()}, {@link #ode(boolean)} or {@link #sde(boolean, double)}. (The first component
 * is {@code forTraining} because the factory {@code training()} takes the plain name.)
 *
 * @param forTraining   true for training (uses {@code train_eps}), false for sampling ({@code sample_eps})
 * @param sde           true for an SDE sampler
 * @param sbdmDiffusion true when the SDE's diffusion form is SBDM (matters only with {@code sde})
 * @param reverse       true to integrate from data to noise: {@code (t0, t1) -> (1 - t0, 1 - t1)}
 * @param lastStepSize  the SDE's last-step size {@code h >= 0} (0 when there is no last step);
 *                      with {@code sde} and {@code h > 0} the interval ends at {@code 1 - h}
 */
public record IntervalRequest(boolean forTraining, boolean sde, boolean sbdmDiffusion, boolean reverse, double lastStepSize) {

    public IntervalRequest {
        if (!(lastStepSize >= 0) || Double.isInfinite(lastStepSize)) {
            throw new IllegalArgumentException(
                    "last_step_size must be a finite number >= 0 (0 when there is no last step), got " + lastStepSize);
        }
    }

    /** The training interval: {@code check_interval(train_eps, sample_eps)} with its defaults. */
    public static IntervalRequest training() {
        return new IntervalRequest(true, false, false, false, 0.0);
    }

    /** ODE sampling (also likelihood), optionally reversed (data to noise). */
    public static IntervalRequest ode(boolean reverse) {
        return new IntervalRequest(false, false, false, reverse, 0.0);
    }

    /**
     * SDE sampling.
     *
     * @param sbdm         whether the diffusion form is SBDM
     * @param lastStepSize the last-step size; pass 0 when the last step is None (as the reference does)
     */
    public static IntervalRequest sde(boolean sbdm, double lastStepSize) {
        return new IntervalRequest(false, true, sbdm, false, lastStepSize);
    }
}
