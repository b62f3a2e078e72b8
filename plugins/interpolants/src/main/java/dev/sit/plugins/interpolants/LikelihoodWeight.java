package dev.sit.plugins.interpolants;

import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;

/** The {@code likelihood} loss weight: {@code w = drift_var / sigma^2}. Ignored with a velocity target. */
public final class LikelihoodWeight implements LossWeight {

    @Override
    public double weight(PathCoefficients c) {
        return c.driftVar() / (c.sigma() * c.sigma());
    }

    @Override
    public String toString() {
        return "likelihood";
    }
}
