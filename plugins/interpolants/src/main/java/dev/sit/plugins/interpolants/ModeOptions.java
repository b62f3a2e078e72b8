package dev.sit.plugins.interpolants;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/**
 * Options of the {@code mode} time sampler. The map {@code f(v) = 1 - v - scale (cos^2(pi v / 2) - 1 + v)}
 * is a decreasing bijection of [0, 1] exactly when {@code -1 <= scale <= 2 / (pi - 2)}.
 */
public record ModeOptions(
        @Doc("heaviness of the middle: 0 = uniform, > 0 favours t near 1/2, < 0 the ends (SD3: 1.29)")
        @Range(min = -1, max = 2 / (Math.PI - 2))
        Double scale) {

    /** The largest scale for which the map stays monotone: 2 / (pi - 2). */
    public static final double MAX_SCALE = 2 / (Math.PI - 2);

    public ModeOptions {
        scale = scale == null ? 1.29 : scale;
    }
}
