package dev.sit.api.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sit.api.transport.Affine;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PredictionTarget} must satisfy, on every path of {@link #paths()} (the kit's
 * {@link ReferencePaths} by default) at {@link #interiorTimes()}. Subclass it and return the target
 * from {@link #target()}.
 *
 * <p>The central check is exact and needs no model: for Gaussian data {@code x1 ~ N(0, v I)} and
 * noise {@code x0 ~ N(0, I)}, {@code x_t ~ N(0, (alpha^2 v + sigma^2) I)} and the minimiser of the
 * regression {@code (outScale out - (c1 x1 + c0 x0))^2} is linear in {@code x_t}:
 * <pre>
 *   out*(x) = (c1 alpha v + c0 sigma) / ((alpha^2 v + sigma^2) outScale) * x
 * </pre>
 * Converting that optimal output must give the exact velocity
 * {@code (d_alpha alpha v + d_sigma sigma) / (alpha^2 v + sigma^2) * x} and the exact score
 * {@code -x / (alpha^2 v + sigma^2)}, for every data variance {@code v} (checked for several).
 */
public abstract class PredictionTargetContract {

    /** The target under test. */
    protected abstract PredictionTarget target();

    /** The paths to check the target on. */
    protected List<Interpolant> paths() {
        return ReferencePaths.all();
    }

    /** Times inside (0, 1). */
    protected double[] interiorTimes() {
        return ReferencePaths.interiorTimes();
    }

    /** Data variances {@code v} of the Gaussian check. */
    protected double[] dataVariances() {
        return new double[] {1.0, 0.3, 4.0};
    }

    /** Relative tolerance of the Gaussian check. */
    protected double tolerance() {
        return 1e-8;
    }

    @Test
    public void recipesAreFiniteInside() {
        PredictionTarget target = target();
        for (Interpolant path : paths()) {
            for (double t : interiorTimes()) {
                PathCoefficients c = path.at(t);
                Regression r = target.regression(c);
                Affine v = target.toVelocity(c);
                Affine s = target.toScore(c);
                assertNotNull(r, "regression");
                assertNotNull(v, "toVelocity");
                assertNotNull(s, "toScore");
                double[] values = {r.outScale(), r.x1Coefficient(), r.x0Coefficient(), v.outCoefficient(),
                        v.xCoefficient(), s.outCoefficient(), s.xCoefficient()};
                for (double x : values) {
                    assertTrue(Double.isFinite(x), () -> target + " on " + path + " at t = " + t
                            + ": a coefficient is not finite: " + r + " " + v + " " + s);
                }
                assertTrue(r.outScale() != 0, () -> target + ": regression outScale must not be 0 (t = " + t + ")");
            }
        }
    }

    @Test
    public void optimalOutputForGaussianDataConvertsToTheExactVelocity() {
        PredictionTarget target = target();
        for (Interpolant path : paths()) {
            for (double t : interiorTimes()) {
                PathCoefficients c = path.at(t);
                for (double v : dataVariances()) {
                    double k = optimalOutputPerX(target, c, v);
                    Affine a = target.toVelocity(c);
                    double actual = a.outCoefficient() * k + a.xCoefficient();
                    double exact = (c.dAlpha() * c.alpha() * v + c.dSigma() * c.sigma()) / variance(c, v);
                    check("velocity", target, path, t, v, actual, exact);
                }
            }
        }
    }

    @Test
    public void optimalOutputForGaussianDataConvertsToTheExactScore() {
        PredictionTarget target = target();
        for (Interpolant path : paths()) {
            for (double t : interiorTimes()) {
                PathCoefficients c = path.at(t);
                for (double v : dataVariances()) {
                    double k = optimalOutputPerX(target, c, v);
                    Affine a = target.toScore(c);
                    double actual = a.outCoefficient() * k + a.xCoefficient();
                    double exact = -1.0 / variance(c, v);
                    check("score", target, path, t, v, actual, exact);
                }
            }
        }
    }

    @Test
    public void aVelocityTargetRegressesTheVelocityAndOutputsIt() {
        PredictionTarget target = target();
        if (!target.isVelocity()) {
            return;
        }
        for (Interpolant path : paths()) {
            for (double t : interiorTimes()) {
                PathCoefficients c = path.at(t);
                Regression r = target.regression(c);
                Affine v = target.toVelocity(c);
                assertTrue(r.outScale() == 1 && r.x1Coefficient() == c.dAlpha() && r.x0Coefficient() == c.dSigma(),
                        () -> target + " says isVelocity() but its regression is " + r + " at " + c);
                assertTrue(v.outCoefficient() == 1 && v.xCoefficient() == 0,
                        () -> target + " says isVelocity() but its ODE drift is " + v);
            }
        }
    }

    /** The optimal output divided by x for data variance v. */
    private static double optimalOutputPerX(PredictionTarget target, PathCoefficients c, double v) {
        Regression r = target.regression(c);
        return (r.x1Coefficient() * c.alpha() * v + r.x0Coefficient() * c.sigma()) / (variance(c, v) * r.outScale());
    }

    private static double variance(PathCoefficients c, double v) {
        return c.alpha() * c.alpha() * v + c.sigma() * c.sigma();
    }

    private void check(String what, PredictionTarget target, Interpolant path, double t, double v, double actual,
            double exact) {
        double allowed = tolerance() * (1 + Math.abs(exact));
        if (!(Math.abs(actual - exact) <= allowed)) {
            fail(target + " on " + path + " at t = " + t + ", data variance " + v + ": the optimal output converts to "
                    + what + " " + actual + " * x, but the exact " + what + " is " + exact + " * x");
        }
    }
}
