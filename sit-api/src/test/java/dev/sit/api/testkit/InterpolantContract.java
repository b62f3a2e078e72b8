package dev.sit.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sit.api.transport.EndpointRule;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.SdeDrift;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Interpolant} must satisfy. Subclass it in the plugin's tests and return the
 * path from {@link #interpolant()}:
 *
 * <pre>{@code
 * class CosinePathTest extends InterpolantContract {
 *     protected Interpolant interpolant() { return new CosinePath(); }
 * }
 * }</pre>
 *
 * Checked on {@link #interiorTimes()} (0.02 ... 0.98 by default):
 * <ul>
 *   <li>{@code dAlpha} and {@code dSigma} agree with central finite differences of {@code alpha}, {@code sigma};</li>
 *   <li>{@code dAlphaOverAlpha} agrees with {@code dAlpha / alpha};</li>
 *   <li>all coefficients are finite, {@code alpha > 0} and {@code sigma > 0} inside (0, 1);</li>
 *   <li>the SDE drift has the path's marginals: {@code drift_mean = -(d_alpha/alpha) x} and
 *       {@code drift_var = (d_alpha/alpha) sigma^2 - sigma d_sigma} (the only choice for which the
 *       score-to-velocity conversion {@code v = -drift_mean + drift_var s} is exact), whether or not
 *       {@code sdeDrift} is overridden;</li>
 *   <li>{@code at(t)} collects the same values;</li>
 *   <li>the ends: noise at {@code t = 0} ({@code alpha(0) = 0}, {@code sigma(0) = 1}) and data at
 *       {@code t = 1} ({@code alpha(1) = 1}, {@code sigma(1) = 0}), each within a tolerance a
 *       subclass may widen: VP only approaches the noise end ({@code alpha(0) = exp(m(0))}, about
 *       0.0066), so its test overrides {@link #noiseEndTolerance()};</li>
 *   <li>{@link EndpointRule#DATA_END} paths are regular at {@code t = 0} (their training and
 *       sampling reach it): every coefficient is finite there.</li>
 * </ul>
 */
public abstract class InterpolantContract {

    /** The path under test. */
    protected abstract Interpolant interpolant();

    /** Times inside (0, 1) where the interior properties are checked. */
    protected double[] interiorTimes() {
        return ReferencePaths.interiorTimes();
    }

    /** Step of the central differences. */
    protected double finiteDifferenceStep() {
        return 1e-5;
    }

    /** Allowed |analytic - finite difference| is this times (1 + |analytic|). */
    protected double derivativeTolerance() {
        return 1e-6;
    }

    /** Allowed |alpha(0)| and |sigma(0) - 1|; widen it for paths that only approach pure noise (VP). */
    protected double noiseEndTolerance() {
        return 1e-9;
    }

    /** Allowed |alpha(1) - 1| and |sigma(1)|. */
    protected double dataEndTolerance() {
        return 1e-9;
    }

    @Test
    public void dAlphaMatchesCentralDifferencesOfAlpha() {
        Interpolant p = interpolant();
        checkDerivative("dAlpha", p::alpha, p::dAlpha);
    }

    @Test
    public void dSigmaMatchesCentralDifferencesOfSigma() {
        Interpolant p = interpolant();
        checkDerivative("dSigma", p::sigma, p::dSigma);
    }

    private void checkDerivative(String name, DoubleUnaryOperator f, DoubleUnaryOperator df) {
        for (double t : interiorTimes()) {
            double h = Math.min(finiteDifferenceStep(), Math.min(t, 1 - t) / 2);
            double numeric = (f.applyAsDouble(t + h) - f.applyAsDouble(t - h)) / (2 * h);
            double analytic = df.applyAsDouble(t);
            double allowed = derivativeTolerance() * (1 + Math.abs(analytic));
            if (!(Math.abs(numeric - analytic) <= allowed)) {
                fail(interpolant() + ": " + name + "(" + t + ") = " + analytic
                        + " but the central difference gives " + numeric + " (allowed " + allowed + ")");
            }
        }
    }

    @Test
    public void dAlphaOverAlphaMatchesTheQuotient() {
        Interpolant p = interpolant();
        for (double t : interiorTimes()) {
            double quotient = p.dAlpha(t) / p.alpha(t);
            assertClose("dAlphaOverAlpha(" + t + ")", quotient, p.dAlphaOverAlpha(t), 1e-9);
        }
    }

    @Test
    public void coefficientsAreFiniteAndPositiveInside() {
        Interpolant p = interpolant();
        for (double t : interiorTimes()) {
            PathCoefficients c = p.at(t);
            assertNotNull(c, "at(" + t + ")");
            double[] values = {c.alpha(), c.dAlpha(), c.sigma(), c.dSigma(), c.dAlphaOverAlpha(),
                    c.driftMeanCoefficient(), c.driftVar()};
            for (double v : values) {
                assertTrue(Double.isFinite(v), () -> p + ": a coefficient at t = " + t + " is not finite: " + c);
            }
            assertTrue(c.alpha() > 0 && c.sigma() > 0,
                    () -> p + ": alpha and sigma must be > 0 inside (0, 1), at t = " + t + ": " + c);
        }
    }

    @Test
    public void sdeDriftHasThePathsMarginals() {
        Interpolant p = interpolant();
        for (double t : interiorTimes()) {
            SdeDrift drift = p.sdeDrift(t);
            double ratio = p.dAlphaOverAlpha(t);
            double sigma = p.sigma(t);
            assertClose("sdeDrift(" + t + ").meanCoefficient", -ratio, drift.meanCoefficient(), 1e-9);
            double a = ratio * sigma * sigma;
            double b = sigma * p.dSigma(t);
            double expected = a - b;
            double allowed = 1e-9 * (Math.abs(a) + Math.abs(b)) + 1e-12;
            if (!(Math.abs(drift.variance() - expected) <= allowed)) {
                fail(p + ": sdeDrift(" + t + ").variance = " + drift.variance() + " but (d_alpha/alpha) sigma^2 - "
                        + "sigma d_sigma = " + expected);
            }
        }
    }

    @Test
    public void atCollectsTheSameValues() {
        Interpolant p = interpolant();
        for (double t : interiorTimes()) {
            PathCoefficients c = p.at(t);
            SdeDrift d = p.sdeDrift(t);
            assertEquals(new PathCoefficients(t, p.alpha(t), p.dAlpha(t), p.sigma(t), p.dSigma(t),
                    p.dAlphaOverAlpha(t), d.meanCoefficient(), d.variance()), c, p + ": at(" + t + ")");
        }
    }

    @Test
    public void startsAtNoise() {
        Interpolant p = interpolant();
        double tol = noiseEndTolerance();
        assertTrue(Math.abs(p.alpha(0)) <= tol, () -> p + ": alpha(0) = " + p.alpha(0) + ", expected 0 within " + tol);
        assertTrue(Math.abs(p.sigma(0) - 1) <= tol, () -> p + ": sigma(0) = " + p.sigma(0) + ", expected 1 within " + tol);
    }

    @Test
    public void endsAtData() {
        Interpolant p = interpolant();
        double tol = dataEndTolerance();
        assertTrue(Math.abs(p.alpha(1) - 1) <= tol, () -> p + ": alpha(1) = " + p.alpha(1) + ", expected 1 within " + tol);
        assertTrue(Math.abs(p.sigma(1)) <= tol, () -> p + ": sigma(1) = " + p.sigma(1) + ", expected 0 within " + tol);
    }

    @Test
    public void dataEndRuleMeansTheNoiseEndIsRegular() {
        Interpolant p = interpolant();
        assertNotNull(p.endpointRule(), p + ": endpointRule() must not be null");
        if (p.endpointRule() == EndpointRule.DATA_END) {
            PathCoefficients c = p.at(0.0);
            double[] values = {c.alpha(), c.dAlpha(), c.sigma(), c.dSigma(), c.dAlphaOverAlpha(),
                    c.driftMeanCoefficient(), c.driftVar()};
            for (double v : values) {
                assertTrue(Double.isFinite(v), () -> p + " declares DATA_END (intervals start at t = 0) but a "
                        + "coefficient at t = 0 is not finite: " + c);
            }
            assertTrue(c.alpha() > 0 && c.sigma() > 0, () -> p + ": DATA_END needs alpha(0) > 0 and sigma(0) > 0: " + c);
        }
    }

    private void assertClose(String what, double expected, double actual, double rtol) {
        double allowed = rtol * Math.abs(expected) + 1e-12;
        if (!(Math.abs(actual - expected) <= allowed)) {
            fail(interpolant() + ": " + what + " = " + actual + ", expected " + expected);
        }
    }
}
