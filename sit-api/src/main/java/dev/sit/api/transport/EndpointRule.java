package dev.sit.api.transport;

/**
 * Where a path is singular, which decides the default eps values and the integration
 * interval (SIT-SPEC section 2 and 4).
 */
public enum EndpointRule {
    /**
     * Like VP: only the data end {@code t = 1} is singular. Training eps defaults to 1e-5,
     * sampling eps to 1e-3, and the interval always ends at {@code 1 - eps}.
     */
    DATA_END,
    /**
     * Like Linear and GVP: {@code alpha(0) = 0} and {@code sigma(1) = 0}. With a velocity target
     * both eps are 0 and ODE sampling uses all of [0, 1]; otherwise both eps default to 1e-3 and
     * the interval is clipped as the spec's check_interval describes.
     */
    BOTH_ENDS
}
