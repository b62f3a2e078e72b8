package dev.sit.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sit.api.sampling.AdaptiveStep;
import dev.sit.api.sampling.OdeSolution;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.OdeSystem;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What every {@link OdeSolver} plugin must do; a plugin's test subclasses this. Covers the
 * {@code odeint} contract (one state per requested time, the first being {@code y0}; only the
 * last when the trajectory is not kept; decreasing grids; tuple states; honest NFE), exactness
 * where the method must be exact, and accuracy: the convergence order of fixed-grid methods on
 * {@code dx/dt = -x}, and for adaptive methods that tightening the tolerance tightens the result.
 */
public abstract class OdeSolverContract {

    /** The solver with its default options. */
    protected abstract OdeSolver solver();

    /** The method's order of accuracy. */
    protected abstract int order();

    /** Evaluations per step of a fixed-grid method; 0 for an adaptive one. */
    protected abstract int evaluationsPerStep();

    /** An adaptive solver with these tolerances; only adaptive solvers need to override this. */
    protected OdeSolver withTolerances(double atol, double rtol) {
        throw new UnsupportedOperationException("only adaptive solvers take tolerances");
    }

    /**
     * False for adaptive methods whose dense output (the interpolation at the requested times) is
     * not exact for solutions quadratic in time, e.g. torchdiffeq's bosh3, whose midpoint state is
     * only second-order accurate.
     */
    protected boolean denseOutputExactForQuadratics() {
        return true;
    }

    private boolean adaptive() {
        return evaluationsPerStep() == 0;
    }

    /** A (2, 3) float32 state with values in [-1.5, 1.5]. */
    protected static INDArray sampleState() {
        return Nd4j.createFromArray(new float[][] {{1.0f, -0.5f, 0.25f}, {1.5f, -1.5f, 0.75f}});
    }

    private static OdeSystem single(java.util.function.BiFunction<Double, INDArray, INDArray> f) {
        return (t, y) -> new INDArray[] {f.apply(t, y[0])};
    }

    private static final OdeSystem DECAY = single((t, x) -> x.neg());

    @Test
    void returnsOneStatePerRequestedTimeStartingWithTheInitialState() {
        INDArray x0 = sampleState();
        double[] times = {0, 0.25, 0.5, 0.75, 1};
        OdeSolution solution = solver().solve(DECAY, new INDArray[] {x0}, times, true);
        assertThat(solution.states()).hasSize(times.length);
        assertThat(solution.states().get(0)[0]).isEqualTo(x0);
        for (INDArray[] state : solution.states()) {
            assertThat(state).hasSize(1);
            assertThat(state[0].shape()).isEqualTo(x0.shape());
        }
    }

    @Test
    void keepsOnlyTheLastStateWhenAskedAndItIsTheSameLastState() {
        INDArray x0 = sampleState();
        double[] times = {0, 0.25, 0.5, 0.75, 1};
        OdeSolution full = solver().solve(DECAY, new INDArray[] {x0}, times, true);
        OdeSolution last = solver().solve(DECAY, new INDArray[] {x0}, times, false);
        assertThat(last.states()).hasSize(1);
        assertThat(last.last()[0]).isEqualTo(full.last()[0]);
        assertThat(last.stats()).isEqualTo(full.stats());
    }

    @Test
    void isExactOnAConstantField() {
        INDArray x0 = sampleState();
        INDArray a = Nd4j.createFromArray(new float[][] {{0.5f, -2f, 1f}, {0f, 3f, -0.25f}});
        double[] times = {0.1, 0.35, 0.6, 1.0};
        OdeSolution solution = solver().solve(single((t, x) -> a.dup()), new INDArray[] {x0}, times, true);
        for (int i = 0; i < times.length; i++) {
            INDArray expected = x0.add(a.mul(times[i] - times[0]));
            assertClose(solution.states().get(i)[0], expected, 1e-5, "x(" + times[i] + ")");
        }
    }

    @Test
    void isExactOnAFieldLinearInTimeFromOrderTwo() {
        assumeTrue(order() >= 2, "only methods of order >= 2 integrate a + b t exactly");
        assumeTrue(!adaptive() || denseOutputExactForQuadratics(), "the dense output is not exact for quadratics");
        INDArray x0 = sampleState();
        INDArray a = Nd4j.createFromArray(new float[][] {{0.5f, -2f, 1f}, {0f, 3f, -0.25f}});
        INDArray b = Nd4j.createFromArray(new float[][] {{1f, 0.5f, -1f}, {2f, -3f, 0.25f}});
        double[] times = {0, 0.3, 0.7, 1.0};
        OdeSolution solution = solver().solve(single((t, x) -> a.add(b.mul(t))), new INDArray[] {x0}, times, true);
        for (int i = 0; i < times.length; i++) {
            double t = times[i];
            INDArray expected = x0.add(a.mul(t)).add(b.mul(t * t / 2));
            assertClose(solution.states().get(i)[0], expected, 2e-5, "x(" + t + ")");
        }
    }

    @Test
    void integratesBackwardOnADecreasingGrid() {
        INDArray x1 = sampleState();
        INDArray a = Nd4j.createFromArray(new float[][] {{0.5f, -2f, 1f}, {0f, 3f, -0.25f}});
        double[] times = {1.0, 0.6, 0.2};
        OdeSolution constant = solver().solve(single((t, x) -> a.dup()), new INDArray[] {x1}, times, true);
        assertClose(constant.last()[0], x1.sub(a.mul(0.8)), 1e-5, "x(0.2) of a constant field integrated backward");

        // dx/dt = -x backward from t = 1 to 0 grows by e
        OdeSolution decay = solver().solve(DECAY, new INDArray[] {x1}, new double[] {1.0, 0.75, 0.5, 0.25, 0.0}, true);
        assertClose(decay.last()[0], x1.mul(Math.E), adaptive() ? 1e-2 : 0.5, "x(0) of dx/dt = -x from x(1)");
    }

    @Test
    void solvesTuplePartsTogether() {
        INDArray x0 = sampleState();
        INDArray c0 = Nd4j.zeros(DataType.FLOAT, 2);
        OdeSystem system = (t, y) -> new INDArray[] {y[0].neg(), Nd4j.ones(DataType.FLOAT, 2).muli(2)};
        OdeSolution solution = solver().solve(system, new INDArray[] {x0, c0}, new double[] {0, 0.5, 1}, true);
        assertThat(solution.last()).hasSize(2);
        assertClose(solution.last()[1], Nd4j.ones(DataType.FLOAT, 2).muli(2), 1e-5, "c(1) of dc/dt = 2");
        assertClose(solution.last()[0], x0.mul(Math.exp(-1)), adaptive() ? 1e-2 : 0.2, "x(1) of dx/dt = -x");
    }

    @Test
    void reportsEveryEvaluation() {
        AtomicLong calls = new AtomicLong();
        OdeSystem counted = (t, y) -> {
            calls.incrementAndGet();
            return DECAY.derivative(t, y);
        };
        double[] times = {0, 0.2, 0.4, 0.6, 0.8, 1};
        OdeSolution solution = solver().solve(counted, new INDArray[] {sampleState()}, times, false);
        assertThat(solution.stats().functionEvaluations()).as("NFE").isEqualTo(calls.get()).isPositive();
        if (adaptive()) {
            assertThat(solution.stats().acceptedSteps()).isPositive();
            assertThat(solution.steps()).hasSize((int) solution.stats().attemptedSteps());
            assertThat(solution.steps().stream().filter(AdaptiveStep::accepted).count())
                    .isEqualTo(solution.stats().acceptedSteps());
            // the accepted steps cover the interval
            AdaptiveStep lastAccepted = solution.steps().stream().filter(AdaptiveStep::accepted)
                    .reduce((x, y) -> y).orElseThrow();
            assertThat(lastAccepted.tEnd()).isGreaterThanOrEqualTo(1.0);
        } else {
            assertThat(solution.stats().acceptedSteps()).isEqualTo(times.length - 1);
            assertThat(solution.stats().rejectedSteps()).isZero();
            assertThat(calls.get()).isEqualTo((long) (times.length - 1) * evaluationsPerStep());
        }
    }

    @Test
    void convergesAtItsOrder() {
        assumeTrue(!adaptive(), "fixed-grid methods only");
        // coarse grids keep the truncation error far above float32 rounding
        int coarse = order() >= 3 ? 4 : 8;
        double coarseError = decayError(coarse);
        double fineError = decayError(2 * coarse);
        double observedOrder = Math.log(coarseError / fineError) / Math.log(2);
        assertThat(observedOrder).as("observed order (errors %s, %s)", coarseError, fineError)
                .isBetween(order() - 0.3, order() + 0.6);
    }

    @Test
    void tighterTolerancesGiveSmallerErrors() {
        assumeTrue(adaptive(), "adaptive methods only");
        double loose = adaptiveDecayError(withTolerances(1e-6, 1e-3));
        double tight = adaptiveDecayError(withTolerances(1e-8, 1e-5));
        assertThat(loose).as("relative error at rtol 1e-3").isLessThan(1e-2);
        // a float32 state cannot get much below 1e-5 relative over many steps: high-order methods
        // may reach that floor already at the loose tolerance
        assertThat(tight).as("relative error at rtol 1e-5").isLessThan(Math.max(loose / 2, 1e-5));
    }

    @Test
    void leavesTheInitialStateUnchanged() {
        INDArray x0 = sampleState();
        INDArray copy = x0.dup();
        solver().solve(DECAY, new INDArray[] {x0}, new double[] {0, 0.5, 1}, true);
        assertThat(x0).isEqualTo(copy);
    }

    @Test
    void rejectsAGridThatIsNotMonotone() {
        assertThatThrownBy(() -> solver().solve(DECAY, new INDArray[] {sampleState()}, new double[] {0, 0.5, 0.4, 1}, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strictly");
    }

    /** Max relative error at t = 1 of dx/dt = -x on a uniform grid of {@code steps} steps. */
    private double decayError(int steps) {
        double[] times = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            times[i] = (double) i / steps;
        }
        INDArray x0 = sampleState();
        OdeSolution solution = solver().solve(DECAY, new INDArray[] {x0}, times, false);
        return relativeError(solution.last()[0], x0.castTo(DataType.DOUBLE).mul(Math.exp(-1)));
    }

    private static double adaptiveDecayError(OdeSolver solver) {
        INDArray x0 = sampleState();
        OdeSolution solution = solver.solve(DECAY, new INDArray[] {x0}, new double[] {0, 1}, false);
        return relativeError(solution.last()[0], x0.castTo(DataType.DOUBLE).mul(Math.exp(-1)));
    }

    private static double relativeError(INDArray actual, INDArray expected) {
        INDArray diff = actual.castTo(DataType.DOUBLE).sub(expected);
        return Transforms.abs(diff).maxNumber().doubleValue() / Transforms.abs(expected).maxNumber().doubleValue();
    }

    /** Max abs deviation relative to {@code 1 + max |expected|}. */
    protected static void assertClose(INDArray actual, INDArray expected, double tolerance, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double scale = 1 + Transforms.abs(expected.castTo(DataType.DOUBLE)).maxNumber().doubleValue();
        double deviation = Transforms.abs(actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)))
                .maxNumber().doubleValue();
        assertThat(deviation / scale).as(what + ": relative deviation").isLessThanOrEqualTo(tolerance);
    }
}
