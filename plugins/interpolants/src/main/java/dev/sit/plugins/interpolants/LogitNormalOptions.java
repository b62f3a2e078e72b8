package dev.sit.plugins.interpolants;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/**
 * Options of the {@code logit-normal} time sampler: {@code logit(t) ~ N(mean, std^2)} (SD3 uses 0 and 1),
 * with a share {@code uniform_fraction} of the draws from U[0, 1] instead.
 */
public record LogitNormalOptions(
        @Doc("mean of logit(t); > 0 favours the data end t = 1, < 0 the noise end t = 0")
        @Range(min = -10, max = 10)
        Double mean,
        @Doc("standard deviation of logit(t)")
        @Range(min = 0, minExclusive = true, max = 10)
        Double std,
        @Doc("share of the draws taken from U[0, 1] instead, so that every t is trained (0 = none)")
        @Range(min = 0, max = 1, maxExclusive = true)
        Double uniformFraction) {

    public LogitNormalOptions {
        mean = mean == null ? 0.0 : mean;
        std = std == null ? 1.0 : std;
        uniformFraction = uniformFraction == null ? 0.0 : uniformFraction;
    }
}
