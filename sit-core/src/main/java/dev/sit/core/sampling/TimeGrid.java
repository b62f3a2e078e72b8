package dev.sit.core.sampling;

/**
 * The float32 time grids of the reference, {@code torch.linspace(t0, t1, n)} as torch 1.13 computes
 * it on the CPU, so that grids (and times like {@code t + dt} derived from them) agree bit for bit:
 * {@code step = float32(float32(t1 - t0) / (n - 1))}, {@code v(i) = float32(t0 + step i)} for
 * {@code i < n/2} and {@code float32(t1 - step (n - 1 - i))} otherwise (one rounding each). For
 * {@code n >= 16} torch fills blocks of 16 as two 8-lane vectors: lane {@code j} of the vector
 * starting at {@code k} is {@code float32(v(k) + float32(j step))}; the last {@code n mod 16}
 * entries are {@code v(i)}.
 */
public final class TimeGrid {

    private static final int LANES = 8;
    private static final int BLOCK = 16;

    private TimeGrid() {
    }

    /** {@code n} float32 times from {@code t0} to {@code t1} (widened to double). */
    public static double[] linspace(double t0, double t1, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a time grid needs at least 1 point, got " + n);
        }
        if (!Double.isFinite(t0) || !Double.isFinite(t1)) {
            throw new IllegalArgumentException("time grid ends must be finite, got " + t0 + " and " + t1);
        }
        float start = (float) t0;
        float end = (float) t1;
        double[] grid = new double[n];
        if (n == 1) {
            grid[0] = start;
            return grid;
        }
        float step = (end - start) / (float) (n - 1);
        int vectorized = n >= BLOCK ? (n / BLOCK) * BLOCK : 0;
        for (int i = 0; i < n; i++) {
            if (i < vectorized) {
                int k = i - i % LANES;
                grid[i] = (float) (scalar(start, end, step, n, k) + (double) (float) ((i - k) * (double) step));
            } else {
                grid[i] = scalar(start, end, step, n, i);
            }
        }
        return grid;
    }

    /** The scalar formula, rounded once (a fused multiply-add in torch's kernel). */
    private static float scalar(float start, float end, float step, int n, int i) {
        return i < n / 2
                ? (float) (start + (double) step * i)
                : (float) (end - (double) step * (n - 1 - i));
    }
}
