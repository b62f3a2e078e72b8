package dev.sit.plugins.interpolants;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** Options of the {@code logit-normal} time sampler: {@code logit(t) ~ N(mean, std^2)} (SD3 uses 0 and 1). */
public record LogitNormalOptions(
        @Doc("mean of logit(t); > 0 favours the data end t = 1, < 0 the noise end t = 0")
        @Range(min = -10, max = 10)
        Double mean,
        @Doc("standard deviation of logit(t)")
        @Range(min = 0, minExclusive = true, max = 10)
        Double std) {

    public LogitNormalOptions {
        mean = mean == null ? 0.0 : mean;
        std = std == null ? 1.0 : std;
    }
}
