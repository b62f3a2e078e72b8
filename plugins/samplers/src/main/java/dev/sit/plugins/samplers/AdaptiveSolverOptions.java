package dev.sit.plugins.samplers;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/**
 * Tolerances of the adaptive ODE solvers; a missing value takes the reference's default
 * ({@code atol 1e-6}, {@code rtol 1e-3}). A step is accepted when
 * {@code rms(err / (atol + rtol * max(|y0|, |y1|))) <= 1}.
 */
public record AdaptiveSolverOptions(
        @Doc("absolute error tolerance (default 1e-6)") @Range(min = 0) Double atol,
        @Doc("relative error tolerance (default 1e-3)") @Range(min = 0) Double rtol) {

    public static final double DEFAULT_ATOL = 1e-6;
    public static final double DEFAULT_RTOL = 1e-3;

    public AdaptiveSolverOptions {
        atol = atol == null ? DEFAULT_ATOL : atol;
        rtol = rtol == null ? DEFAULT_RTOL : rtol;
        if (!(atol >= 0) || !(rtol >= 0) || atol + rtol == 0) {
            throw new IllegalArgumentException("atol and rtol must be >= 0 and not both 0, got atol " + atol
                    + ", rtol " + rtol);
        }
    }

    /** The defaults, atol 1e-6 and rtol 1e-3. */
    public AdaptiveSolverOptions() {
        this(null, null);
    }
}
