package dev.sit.api.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sit.api.transport.Affine;
import dev.sit.api.transport.EndpointRule;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;
import dev.sit.api.transport.SdeDrift;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The test kit tests itself: correct paths, targets and weights pass every contract, and
 * plausible mistakes fail the contract meant to catch them.
 */
class TestKitSelfTest {

    /** The noise target written from the spec, independently of the bundled plugin. */
    static final class Noise implements PredictionTarget {
        public Regression regression(PathCoefficients c) { return new Regression(1, 0, 1); }
        public Affine toVelocity(PathCoefficients c) { return new Affine(c.driftVar() / -c.sigma(), -c.driftMeanCoefficient()); }
        public Affine toScore(PathCoefficients c) { return new Affine(-1 / c.sigma(), 0); }
        @Override public String toString() { return "noise"; }
    }

    /** The velocity target written from the spec. */
    static final class Velocity implements PredictionTarget {
        public Regression regression(PathCoefficients c) { return new Regression(1, c.dAlpha(), c.dSigma()); }
        public Affine toVelocity(PathCoefficients c) { return new Affine(1, 0); }
        public Affine toScore(PathCoefficients c) {
            double r = c.alpha() / c.dAlpha();
            double var = c.sigma() * c.sigma() - r * c.dSigma() * c.sigma();
            return new Affine(r / var, -1 / var);
        }
        public boolean isVelocity() { return true; }
    }

    @Nested
    class LinearPasses extends InterpolantContract {
        protected Interpolant interpolant() { return ReferencePaths.linear(); }
    }

    @Nested
    class TrigonometricPasses extends InterpolantContract {
        protected Interpolant interpolant() { return ReferencePaths.trigonometric(); }
    }

    @Nested
    class SkewedPasses extends InterpolantContract {
        protected Interpolant interpolant() { return ReferencePaths.skewed(); }
    }

    @Nested
    class NoisePasses extends PredictionTargetContract {
        protected PredictionTarget target() { return new Noise(); }
    }

    @Nested
    class VelocityPasses extends PredictionTargetContract {
        protected PredictionTarget target() { return new Velocity(); }
    }

    @Nested
    class LikelihoodWeightPasses extends LossWeightContract {
        protected LossWeight weight() { return c -> c.driftVar() / (c.sigma() * c.sigma()); }
    }

    static InterpolantContract pathContract(Interpolant p) {
        return new InterpolantContract() {
            protected Interpolant interpolant() { return p; }
        };
    }

    /** The linear path with one function replaced. */
    static Interpolant linearWith(java.util.function.DoubleUnaryOperator dAlpha, java.util.function.DoubleUnaryOperator sigma) {
        return new Interpolant() {
            public double alpha(double t) { return t; }
            public double dAlpha(double t) { return dAlpha.applyAsDouble(t); }
            public double sigma(double t) { return sigma.applyAsDouble(t); }
            public double dSigma(double t) { return -1; }
        };
    }

    @Test
    void aWrongDerivativeFails() {
        InterpolantContract c = pathContract(linearWith(t -> 1.001, t -> 1 - t));
        assertThrows(AssertionError.class, c::dAlphaMatchesCentralDifferencesOfAlpha);
        c.dSigmaMatchesCentralDifferencesOfSigma();
        Interpolant wrongRatio = new Interpolant() {
            public double alpha(double t) { return t; }
            public double dAlpha(double t) { return 1; }
            public double sigma(double t) { return 1 - t; }
            public double dSigma(double t) { return -1; }
            public double dAlphaOverAlpha(double t) { return 1 / (t + 1e-3); }
        };
        assertThrows(AssertionError.class, pathContract(wrongRatio)::dAlphaOverAlphaMatchesTheQuotient);
    }

    @Test
    void aPathThatMissesTheDataEndFails() {
        InterpolantContract c = pathContract(linearWith(t -> 1, t -> 1.01 - t));
        assertThrows(AssertionError.class, c::endsAtData);
    }

    @Test
    void aPathThatOnlyApproachesNoisePassesWithAWiderTolerance() {
        Interpolant almost = new Interpolant() {
            public double alpha(double t) { return 0.005 + 0.995 * t; }
            public double dAlpha(double t) { return 0.995; }
            public double sigma(double t) { return 1 - t; }
            public double dSigma(double t) { return -1; }
            public EndpointRule endpointRule() { return EndpointRule.DATA_END; }
        };
        assertThrows(AssertionError.class, pathContract(almost)::startsAtNoise);
        new InterpolantContract() {
            protected Interpolant interpolant() { return almost; }
            protected double noiseEndTolerance() { return 0.01; }
        }.startsAtNoise();
        pathContract(almost).dataEndRuleMeansTheNoiseEndIsRegular();
        // the linear path is singular at t = 0 and must not claim DATA_END
        Interpolant wrongRule = new Interpolant() {
            public double alpha(double t) { return t; }
            public double dAlpha(double t) { return 1; }
            public double sigma(double t) { return 1 - t; }
            public double dSigma(double t) { return -1; }
            public EndpointRule endpointRule() { return EndpointRule.DATA_END; }
        };
        assertThrows(AssertionError.class, pathContract(wrongRule)::dataEndRuleMeansTheNoiseEndIsRegular);
    }

    @Test
    void anSdeDriftWithOtherMarginalsFails() {
        Interpolant p = new Interpolant() {
            public double alpha(double t) { return t; }
            public double dAlpha(double t) { return 1; }
            public double sigma(double t) { return 1 - t; }
            public double dSigma(double t) { return -1; }
            public SdeDrift sdeDrift(double t) { return new SdeDrift(-1 / t, (1 - t) / t * 1.01); }
        };
        assertThrows(AssertionError.class, pathContract(p)::sdeDriftHasThePathsMarginals);
    }

    static PredictionTargetContract targetContract(PredictionTarget target) {
        return new PredictionTargetContract() {
            protected PredictionTarget target() { return target; }
        };
    }

    @Test
    void aScoreConversionWithTheWrongSignFails() {
        PredictionTarget wrong = new PredictionTarget() {
            public Regression regression(PathCoefficients c) { return new Regression(1, 0, 1); }
            public Affine toVelocity(PathCoefficients c) { return new Noise().toVelocity(c); }
            public Affine toScore(PathCoefficients c) { return new Affine(1 / c.sigma(), 0); }
        };
        assertThrows(AssertionError.class, targetContract(wrong)::optimalOutputForGaussianDataConvertsToTheExactScore);
        targetContract(wrong).optimalOutputForGaussianDataConvertsToTheExactVelocity();
    }

    @Test
    void aVelocityConversionThatForgetsTheStateFails() {
        PredictionTarget wrong = new PredictionTarget() {
            public Regression regression(PathCoefficients c) { return new Regression(c.sigma(), 0, -1); }
            public Affine toVelocity(PathCoefficients c) { return new Affine(c.driftVar(), 0); }
            public Affine toScore(PathCoefficients c) { return new Affine(1, 0); }
        };
        targetContract(wrong).optimalOutputForGaussianDataConvertsToTheExactScore();
        assertThrows(AssertionError.class, targetContract(wrong)::optimalOutputForGaussianDataConvertsToTheExactVelocity);
    }

    @Test
    void aVelocityTargetThatRegressesSomethingElseFails() {
        PredictionTarget wrong = new PredictionTarget() {
            public Regression regression(PathCoefficients c) { return new Regression(1, c.dAlpha(), 0); }
            public Affine toVelocity(PathCoefficients c) { return new Affine(1, 0); }
            public Affine toScore(PathCoefficients c) { return new Velocity().toScore(c); }
            public boolean isVelocity() { return true; }
        };
        assertThrows(AssertionError.class, targetContract(wrong)::aVelocityTargetRegressesTheVelocityAndOutputsIt);
    }

    @Test
    void aNegativeOrFalselyUniformWeightFails() {
        LossWeightContract negative = new LossWeightContract() {
            protected LossWeight weight() { return c -> c.dSigma(); }
        };
        assertThrows(AssertionError.class, negative::finiteAndNonNegativeInside);
        LossWeightContract falselyUniform = new LossWeightContract() {
            protected LossWeight weight() {
                return new LossWeight() {
                    public double weight(PathCoefficients c) { return 2; }
                    public boolean isUniform() { return true; }
                };
            }
        };
        assertThrows(AssertionError.class, falselyUniform::aUniformWeightIsOne);
    }
}
