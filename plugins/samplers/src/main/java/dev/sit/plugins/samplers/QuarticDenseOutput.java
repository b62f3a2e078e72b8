package dev.sit.plugins.samplers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * torchdiffeq's dense output of an accepted step from {@code t0} to {@code t1}: the quartic
 * {@code p(x) = e + d x + c x^2 + b x^3 + a x^4}, {@code x = (t - t0) / (t1 - t0)}, through
 * {@code y0}, {@code y1} and the midpoint state {@code yMid}, with slopes {@code f0}, {@code f1}:
 * <pre>
 * a = 2 dt (f1 - f0) - 8 (y1 + y0) + 16 yMid
 * b = dt (5 f0 - 3 f1) + 18 y0 + 14 y1 - 32 yMid
 * c = dt (f1 - 4 f0) - 11 y0 - 5 y1 + 16 yMid
 * d = dt f0,  e = y0
 * </pre>
 */
final class QuarticDenseOutput {

    private final double t0;
    private final double t1;
    /** Per state part: {e, d, c, b, a}. */
    private final INDArray[][] coefficients;

    private QuarticDenseOutput(double t0, double t1, INDArray[][] coefficients) {
        this.t0 = t0;
        this.t1 = t1;
        this.coefficients = coefficients;
    }

    static QuarticDenseOutput fit(double t0, double t1, float dt, INDArray[] y0, INDArray[] y1, INDArray[] yMid,
            INDArray[] f0, INDArray[] f1) {
        INDArray[][] coefficients = new INDArray[y0.length][];
        for (int p = 0; p < y0.length; p++) {
            INDArray a = f1[p].sub(f0[p]).muli(2 * dt)
                    .subi(y1[p].add(y0[p]).muli(8f))
                    .addi(yMid[p].mul(16f));
            INDArray b = f0[p].mul(5f).subi(f1[p].mul(3f)).muli(dt)
                    .addi(y0[p].mul(18f))
                    .addi(y1[p].mul(14f))
                    .subi(yMid[p].mul(32f));
            INDArray c = f1[p].sub(f0[p].mul(4f)).muli(dt)
                    .subi(y0[p].mul(11f))
                    .subi(y1[p].mul(5f))
                    .addi(yMid[p].mul(16f));
            INDArray d = f0[p].mul(dt);
            coefficients[p] = new INDArray[] {y0[p], d, c, b, a};
        }
        return new QuarticDenseOutput(t0, t1, coefficients);
    }

    double start() {
        return t0;
    }

    double end() {
        return t1;
    }

    /** The interpolated state at {@code t0 <= t <= t1} (x in float32, as torchdiffeq casts it). */
    INDArray[] at(double t) {
        if (!(t0 <= t && t <= t1)) {
            throw new IllegalStateException("dense output asked for t = " + t + " outside its step [" + t0 + ", " + t1 + "]");
        }
        float x = (float) ((t - t0) / (t1 - t0));
        INDArray[] out = new INDArray[coefficients.length];
        for (int p = 0; p < coefficients.length; p++) {
            INDArray[] c = coefficients[p];
            INDArray total = c[0].add(c[1].mul(x));
            float power = x;
            for (int k = 2; k < c.length; k++) {
                power = power * x;
                total.addi(c[k].mul(power));
            }
            out[p] = total;
        }
        return out;
    }
}
