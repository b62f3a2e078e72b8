package dev.sit.api.testkit;

import dev.sit.api.transport.Interpolant;
import java.util.List;

/**
 * Small, known-correct paths the contracts of targets and weights are checked on (a target or a
 * weight must work on every valid path). Plugin tests may add their own through the contracts'
 * {@code paths()}.
 */
public final class ReferencePaths {

    private ReferencePaths() {
    }

    /** {@code alpha = t}, {@code sigma = 1 - t}. */
    public static Interpolant linear() {
        return new Interpolant() {
            public double alpha(double t) { return t; }
            public double dAlpha(double t) { return 1; }
            public double sigma(double t) { return 1 - t; }
            public double dSigma(double t) { return -1; }
            @Override public String toString() { return "kit-linear"; }
        };
    }

    /** {@code alpha = sin(pi t / 2)}, {@code sigma = cos(pi t / 2)} (variance preserving). */
    public static Interpolant trigonometric() {
        return new Interpolant() {
            public double alpha(double t) { return Math.sin(Math.PI / 2 * t); }
            public double dAlpha(double t) { return Math.PI / 2 * Math.cos(Math.PI / 2 * t); }
            public double sigma(double t) { return Math.cos(Math.PI / 2 * t); }
            public double dSigma(double t) { return -Math.PI / 2 * Math.sin(Math.PI / 2 * t); }
            @Override public String toString() { return "kit-trigonometric"; }
        };
    }

    /** {@code alpha = t^2}, {@code sigma = (1 - t)^(1/2)}: neither linear nor variance preserving. */
    public static Interpolant skewed() {
        return new Interpolant() {
            public double alpha(double t) { return t * t; }
            public double dAlpha(double t) { return 2 * t; }
            public double sigma(double t) { return Math.sqrt(1 - t); }
            public double dSigma(double t) { return -0.5 / Math.sqrt(1 - t); }
            @Override public String toString() { return "kit-skewed"; }
        };
    }

    public static List<Interpolant> all() {
        return List.of(linear(), trigonometric(), skewed());
    }

    /** 49 times 0.02, 0.04, ..., 0.98 inside (0, 1). */
    public static double[] interiorTimes() {
        double[] t = new double[49];
        for (int i = 0; i < t.length; i++) {
            t[i] = 0.02 * (i + 1);
        }
        return t;
    }
}
