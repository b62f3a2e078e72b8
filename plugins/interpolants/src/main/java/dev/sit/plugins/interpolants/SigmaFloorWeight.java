package dev.sit.plugins.interpolants;

import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;

/**
 * The {@code sigma-floor} loss weight: {@code w = min(1, (sigma / floor)^2)}. With the {@code data}
 * target on the Linear path the loss is {@code (out - x1)^2 / sigma^2}; this weight caps that at
 * {@code (out - x1)^2 / floor^2}, so that times near the data end can be drawn without their
 * {@code 1 / sigma^2} taking over the gradient (Min-SNR's idea, Hang et al. 2023).
 */
public final class SigmaFloorWeight implements LossWeight {

    private final double floor;

    public SigmaFloorWeight(SigmaFloorOptions options) {
        this.floor = options.floor();
    }

    @Override
    public double weight(PathCoefficients c) {
        double r = c.sigma() / floor;
        return Math.min(1.0, r * r);
    }

    @Override
    public String toString() {
        return "sigma-floor(" + floor + ")";
    }
}
