package dev.sit.plugins.interpolants;

import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;

/** The {@code velocity} loss weight: {@code w = (drift_var / sigma)^2}. Ignored with a velocity target. */
public final class VelocityWeight implements LossWeight {

    @Override
    public double weight(PathCoefficients c) {
        double r = c.driftVar() / c.sigma();
        return r * r;
    }

    @Override
    public String toString() {
        return "velocity";
    }
}
