package dev.sit.plugins.interpolants;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/**
 * Options of the {@code VP} path: the linear noise schedule {@code beta(t) = sigma_min + (1 - t)(sigma_max - sigma_min)}
 * (the reference's defaults 0.1 and 20).
 */
public record VpOptions(
        @Doc("beta at the data end t = 1 (the schedule's minimum)")
        @Range(min = 0, minExclusive = true)
        Double sigmaMin,
        @Doc("beta at the noise end t = 0 (the schedule's maximum); must exceed sigma_min")
        @Range(min = 0, minExclusive = true)
        Double sigmaMax) {

    public static final double DEFAULT_SIGMA_MIN = 0.1;
    public static final double DEFAULT_SIGMA_MAX = 20.0;

    public VpOptions {
        sigmaMin = sigmaMin == null ? DEFAULT_SIGMA_MIN : sigmaMin;
        sigmaMax = sigmaMax == null ? DEFAULT_SIGMA_MAX : sigmaMax;
        if (!(sigmaMin > 0) || Double.isInfinite(sigmaMin)) {
            throw new IllegalArgumentException("VP sigma_min must be a finite number > 0, got " + sigmaMin);
        }
        if (!(sigmaMax > sigmaMin) || Double.isInfinite(sigmaMax)) {
            throw new IllegalArgumentException("VP sigma_max must be finite and greater than sigma_min ("
                    + sigmaMin + "), got " + sigmaMax);
        }
    }

    /** The reference's defaults: sigma_min 0.1, sigma_max 20. */
    public static VpOptions defaults() {
        return new VpOptions(null, null);
    }
}
