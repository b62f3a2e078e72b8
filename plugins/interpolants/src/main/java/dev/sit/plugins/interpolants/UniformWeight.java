package dev.sit.plugins.interpolants;

import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;

/** The {@code none} loss weight: {@code w = 1}. */
public final class UniformWeight implements LossWeight {

    @Override
    public double weight(PathCoefficients c) {
        return 1.0;
    }

    @Override
    public boolean isUniform() {
        return true;
    }

    @Override
    public String toString() {
        return "none";
    }
}
