package dev.sit.core.transport;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SD3's resolution-dependent time shift, written in SiT's convention (t = 0 noise, t = 1 data).
 *
 * <p>SD3 writes its shift for a time {@code s} that runs the other way (s = 0 data, s = 1 noise):
 * {@code s' = k s / (1 + (k - 1) s)}; with {@code k > 1} it moves times towards noise, which larger
 * images need. With {@code s = 1 - t} the same map reads {@code t' = t / (k - (k - 1) t)}, so a shift
 * {@code k > 1} here also favours the NOISE end: the median of a shifted uniform time is
 * {@code 1 / (k + 1)} (0.25 for k = 3), and {@code k = 1} is the identity. (The formula
 * {@code k t / (1 + (k - 1) t)} applied to SiT's t would favour the data end: it is this map with
 * {@code 1 / k}.)
 *
 * @param factor {@code k > 0}
 */
public record TimeShift(double factor) {

    /** No shift. */
    public static final TimeShift NONE = new TimeShift(1.0);

    public TimeShift {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("the time shift must be a finite number > 0 (1 = no shift, > 1 favours "
                    + "the noise end t = 0 as SD3's shift does), got " + factor);
        }
    }

    /** True for {@code k = 1}. */
    public boolean isIdentity() {
        return factor == 1.0;
    }

    /** {@code t / (k - (k - 1) t)}. */
    public double apply(double t) {
        return t / (factor - (factor - 1) * t);
    }

    /** The inverse map {@code k t' / (1 + (k - 1) t')}. */
    public double inverse(double shifted) {
        return factor * shifted / (1 + (factor - 1) * shifted);
    }

    /**
     * A sampling grid with its points moved by this shift in SiT's time: with {@code lo}, {@code hi}
     * the grid's smallest and largest time, {@code t' = lo + (hi - lo) shift((t - lo) / (hi - lo))}.
     * The ends stay, the order stays (also for a reversed grid), and {@code k > 1} puts more steps near
     * the noise end.
     */
    public double[] onGrid(double[] grid) {
        if (isIdentity() || grid.length < 2) {
            return grid.clone();
        }
        double lo = Math.min(grid[0], grid[grid.length - 1]);
        double hi = Math.max(grid[0], grid[grid.length - 1]);
        double[] out = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            out[i] = lo + (hi - lo) * apply((grid[i] - lo) / (hi - lo));
        }
        out[0] = grid[0];
        out[grid.length - 1] = grid[grid.length - 1];
        return out;
    }

    /** {@link #apply(double)} on every element, in place; returns {@code t}. */
    public INDArray applyInPlace(INDArray t) {
        if (isIdentity()) {
            return t;
        }
        INDArray denominator = t.mul(-(factor - 1)).addi(factor);
        return t.divi(denominator);
    }
}
