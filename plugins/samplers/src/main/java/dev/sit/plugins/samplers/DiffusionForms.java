package dev.sit.plugins.samplers;

import dev.sit.api.sampling.DiffusionForm;

/**
 * The diffusion coefficients {@code w(t)} of SiT's sampling SDE, with the sampler's {@code norm}.
 * Non-finite values are returned as computed (SBDM at {@code t = 0} on Linear/GVP is infinite,
 * as in the reference).
 */
final class DiffusionForms {

    private DiffusionForms() {
    }

    /** {@code w = norm}. */
    static final DiffusionForm CONSTANT = (c, norm) -> norm;

    /** {@code w = norm * drift_var(t)}: the SDE whose drift matches score-based diffusion models. */
    static final DiffusionForm SBDM = new DiffusionForm() {
        @Override
        public double diffusion(dev.sit.api.transport.PathCoefficients c, double norm) {
            return norm * c.driftVar();
        }

        @Override
        public boolean singularAtStart() {
            return true;
        }
    };

    /** {@code w = norm * sigma(t)}. */
    static final DiffusionForm SIGMA = (c, norm) -> norm * c.sigma();

    /** {@code w = norm * (1 - t)}. */
    static final DiffusionForm LINEAR = (c, norm) -> norm * (1 - c.t());

    /** {@code w = 0.25 * (norm * cos(pi t) + 1)^2} (norm inside the square, as the reference). */
    static final DiffusionForm DECREASING = (c, norm) -> {
        double inner = norm * Math.cos(Math.PI * c.t()) + 1;
        return 0.25 * inner * inner;
    };

    /** {@code w = norm * sin(pi t)^2}. */
    static final DiffusionForm INCREASING_DECREASING = (c, norm) -> {
        double s = Math.sin(Math.PI * c.t());
        return norm * s * s;
    };
}
