package dev.sit.api.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sit.api.sampling.DiffusionForm;
import dev.sit.api.sampling.LastStep;
import dev.sit.api.sampling.LastStepCoefficients;
import dev.sit.api.sampling.OdeSolution;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.OdeSystem;
import dev.sit.api.sampling.SdeSolver;
import dev.sit.api.sampling.SolverStats;
import dev.sit.api.transport.PathCoefficients;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sampling kits pass a simple correct implementation of each kind and fail broken ones: a kit
 * that could not fail would prove nothing about the plugins that pass it.
 */
class SamplingTestKitSelfTest {

    /** Explicit Euler on the grid, with an optional defect. */
    static final class KitEuler implements OdeSolver {
        private final double slopeScale;
        private final int evaluationsPerStep;

        KitEuler(double slopeScale, int evaluationsPerStep) {
            this.slopeScale = slopeScale;
            this.evaluationsPerStep = evaluationsPerStep;
        }

        @Override
        public OdeSolution solve(OdeSystem system, INDArray[] y0, double[] times, boolean keepTrajectory) {
            for (int i = 1; i < times.length; i++) {
                if (times[0] < times[1] ? !(times[i] > times[i - 1]) : !(times[i] < times[i - 1])) {
                    throw new IllegalArgumentException("times must be strictly monotone");
                }
            }
            List<INDArray[]> states = new ArrayList<>();
            INDArray[] y = y0;
            states.add(y);
            long evaluations = 0;
            for (int i = 1; i < times.length; i++) {
                INDArray[] f = system.derivative(times[i - 1], y);
                evaluations++;
                INDArray[] next = new INDArray[y.length];
                for (int k = 0; k < y.length; k++) {
                    next[k] = y[k].add(f[k].mul(slopeScale * (times[i] - times[i - 1])));
                }
                y = next;
                if (!keepTrajectory) {
                    states.clear();
                }
                states.add(y);
            }
            return new OdeSolution(states, new SolverStats(evaluations * evaluationsPerStep, times.length - 1, 0));
        }
    }

    static OdeSolverContract odeContract(OdeSolver solver, int order) {
        return new OdeSolverContract() {
            @Override
            protected OdeSolver solver() {
                return solver;
            }

            @Override
            protected int order() {
                return order;
            }

            @Override
            protected int evaluationsPerStep() {
                return 1;
            }
        };
    }

    @Nested
    class CorrectEulerPasses extends OdeSolverContract {
        @Override
        protected OdeSolver solver() {
            return new KitEuler(1, 1);
        }

        @Override
        protected int order() {
            return 1;
        }

        @Override
        protected int evaluationsPerStep() {
            return 1;
        }
    }

    @Test
    void anInconsistentOdeSolverFails() {
        assertThrows(AssertionError.class, odeContract(new KitEuler(1.01, 1), 1)::isExactOnAConstantField);
    }

    @Test
    void anOdeSolverMiscountingEvaluationsFails() {
        assertThrows(AssertionError.class, odeContract(new KitEuler(1, 2), 1)::reportsEveryEvaluation);
    }

    @Test
    void anOdeSolverClaimingTooHighAnOrderFails() {
        assertThrows(AssertionError.class, odeContract(new KitEuler(1, 1), 2)::convergesAtItsOrder);
    }

    /** Euler-Maruyama with a noise factor: sqrt(2 w dt) is right. */
    static SdeSolver eulerMaruyama(double noiseFactor) {
        return (drift, diffusion, x, t, dt, noise) -> {
            INDArray w = noise.next(x.shape());
            return x.add(drift.drift(x, t).mul(dt)).addi(w.mul(noiseFactor * Math.sqrt(diffusion.applyAsDouble(t) * dt)));
        };
    }

    static SdeSolverContract sdeContract(SdeSolver solver) {
        return new SdeSolverContract() {
            @Override
            protected SdeSolver solver() {
                return solver;
            }

            @Override
            protected int drawsPerStep() {
                return 1;
            }
        };
    }

    @Nested
    class CorrectEulerMaruyamaPasses extends SdeSolverContract {
        @Override
        protected SdeSolver solver() {
            return eulerMaruyama(Math.sqrt(2));
        }

        @Override
        protected int drawsPerStep() {
            return 1;
        }
    }

    @Test
    void anSdeSolverWithSqrtWNoiseFails() {
        assertThrows(AssertionError.class, sdeContract(eulerMaruyama(1))::withoutDriftAddsTheScaledNoiseItDrew);
    }

    @Test
    void aNegativeDiffusionFails() {
        DiffusionFormContract c = new DiffusionFormContract() {
            @Override
            protected DiffusionForm form() {
                return (coefficients, norm) -> norm * (coefficients.t() - 0.5);
            }

            @Override
            protected List<KnownValue> knownValues() {
                return List.of(new KnownValue(ReferencePaths.linear().at(0.75), 1, 0.25));
            }
        };
        assertThrows(AssertionError.class, c::isFiniteAndNonNegativeInsideTheInterval);
    }

    @Test
    void aDiffusionMissingItsKnownValueFails() {
        DiffusionFormContract c = new DiffusionFormContract() {
            @Override
            protected DiffusionForm form() {
                return (coefficients, norm) -> norm * coefficients.sigma();
            }

            @Override
            protected List<KnownValue> knownValues() {
                PathCoefficients at = ReferencePaths.linear().at(0.25);
                return List.of(new KnownValue(at, 1, 0.5));
            }
        };
        assertThrows(AssertionError.class, c::reproducesItsKnownValues);
    }

    @Test
    void aLastStepThatOvershootsFails() {
        LastStep doubleEuler = (c, h) -> new LastStepCoefficients(1, 0, 2 * h, 0);
        LastStepContract c = new LastStepContract() {
            @Override
            protected LastStep lastStep() {
                return doubleEuler;
            }
        };
        assertThrows(AssertionError.class, c::takesPointMassSamplesToTheData);
    }
}
