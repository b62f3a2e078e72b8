package dev.sit.plugins.samplers;

import dev.sit.api.sampling.LastStep;
import dev.sit.api.sampling.LastStepCoefficients;

/** SiT's last-step rules at {@code t1} with step {@code h} (see {@link LastStep}). */
final class LastSteps {

    private LastSteps() {
    }

    /** No last step: {@code x}. */
    static final LastStep NONE = new LastStep() {
        @Override
        public LastStepCoefficients coefficients(dev.sit.api.transport.PathCoefficients c, double h) {
            return LastStepCoefficients.IDENTITY;
        }

        @Override
        public boolean isIdentity() {
            return true;
        }
    };

    /** {@code x + f(x, t1) h}, with {@code f} the SDE drift. */
    static final LastStep MEAN = (c, h) -> new LastStepCoefficients(1, h, 0, 0);

    /** {@code x + v(x, t1) h}, with {@code v} the probability-flow (ODE) drift. */
    static final LastStep EULER = (c, h) -> new LastStepCoefficients(1, 0, h, 0);

    /** Tweedie's denoiser: {@code x / alpha(t1) + sigma(t1)^2 / alpha(t1) * s(x, t1)}; ignores {@code h}. */
    static final LastStep TWEEDIE = (c, h) ->
            new LastStepCoefficients(1 / c.alpha(), 0, 0, c.sigma() * c.sigma() / c.alpha());
}
