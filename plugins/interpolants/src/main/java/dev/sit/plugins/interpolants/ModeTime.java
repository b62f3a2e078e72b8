package dev.sit.plugins.interpolants;

import dev.sit.api.transport.RandomDraws;
import dev.sit.api.transport.TimeSampler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SD3's mode sampling with heavy tails: {@code t = f(v)}, {@code v ~ U[0, 1]},
 * {@code f(v) = 1 - v - scale (cos^2(pi v / 2) - 1 + v)}. The distribution is symmetric about 1/2
 * ({@code f(1 - v) = 1 - f(v)}), so it reads the same in SiT's convention (0 noise, 1 data) as in
 * SD3's; {@code f} is decreasing, so {@code F(t) = 1 - f^-1(t)}.
 */
public final class ModeTime implements TimeSampler {

    private final double scale;

    public ModeTime(ModeOptions options) {
        this.scale = options.scale();
    }

    @Override
    public INDArray sample(long n, RandomDraws draws) {
        INDArray v = draws.uniform(n);
        INDArray cos = Transforms.cos(v.mul(Math.PI / 2), false);
        INDArray bracket = cos.muli(cos).subi(1.0).addi(v);
        // 1 - v - scale * bracket, clipped against float rounding at the ends
        INDArray t = v.rsub(1.0).subi(bracket.muli(scale));
        return Transforms.max(Transforms.min(t, 1.0, false), 0.0, false);
    }

    /** {@code f(v)} in double. */
    double map(double v) {
        double c = Math.cos(Math.PI * v / 2);
        return 1 - v - scale * (c * c - 1 + v);
    }

    @Override
    public double cdf(double t) {
        if (t <= 0) {
            return 0.0;
        }
        if (t >= 1) {
            return 1.0;
        }
        // f is decreasing from f(0) = 1 to f(1) = 0: find v with f(v) = t by bisection
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (map(mid) > t) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 1 - (lo + hi) / 2;
    }

    @Override
    public String toString() {
        return "mode(scale=" + scale + ")";
    }
}
