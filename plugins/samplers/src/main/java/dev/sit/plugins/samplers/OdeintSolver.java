package dev.sit.plugins.samplers;

import dev.sit.api.sampling.AdaptiveStep;
import dev.sit.api.sampling.OdeSolution;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.OdeSystem;
import dev.sit.api.sampling.SolverStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An {@link OdeSolver} with torchdiffeq's {@code odeint} conventions, shared by every bundled
 * method: checks the inputs, solves a decreasing grid in {@code s = -t} with
 * {@code dy/ds = -f(-s, y)} (as torchdiffeq does, which decides where adaptive stages land),
 * counts function evaluations and keeps the whole trajectory or only the last state.
 */
abstract class OdeintSolver implements OdeSolver {

    /** What an integration did besides producing states. */
    record Integration(long acceptedSteps, long rejectedSteps, List<AdaptiveStep> history) {
    }

    /** Receives the solution at each output time, in order (the first is {@code y0}). */
    interface Output {
        void accept(INDArray[] state);
    }

    @Override
    public final OdeSolution solve(OdeSystem system, INDArray[] y0, double[] times, boolean keepTrajectory) {
        checkInputs(system, y0, times);
        boolean reversed = times.length > 1 && times[0] > times[1];
        double[] ts = reversed ? Arrays.stream(times).map(t -> -t).toArray() : times.clone();
        CountedSystem counted = new CountedSystem(system, y0, reversed);

        List<INDArray[]> states = new ArrayList<>(keepTrajectory ? times.length : 1);
        Output output = state -> {
            if (!keepTrajectory) {
                states.clear();
            }
            states.add(state);
        };
        output.accept(y0);
        Integration integration = times.length == 1
                ? new Integration(0, 0, List.of())
                : integrate(counted, y0, ts, output);
        List<AdaptiveStep> history = reversed
                ? integration.history().stream()
                        .map(s -> new AdaptiveStep(-s.t(), -s.dt(), s.accepted(), s.errorRatio(), -s.nextDt()))
                        .toList()
                : integration.history();
        SolverStats stats = new SolverStats(counted.evaluations(), integration.acceptedSteps(), integration.rejectedSteps());
        return new OdeSolution(states, stats, history);
    }

    /**
     * Integrates over strictly increasing {@code ts} (at least two), sending the solution at
     * {@code ts[1..]} to {@code output}; {@code y0} has already been sent.
     */
    protected abstract Integration integrate(OdeSystem f, INDArray[] y0, double[] ts, Output output);

    private static void checkInputs(OdeSystem system, INDArray[] y0, double[] times) {
        if (system == null) {
            throw new IllegalArgumentException("the ODE system is null");
        }
        if (y0 == null || y0.length == 0) {
            throw new IllegalArgumentException("the initial state needs at least one tensor");
        }
        for (int p = 0; p < y0.length; p++) {
            if (y0[p] == null) {
                throw new IllegalArgumentException("part " + p + " of the initial state is null");
            }
        }
        if (times == null || times.length == 0) {
            throw new IllegalArgumentException("the time grid is empty: give at least the start time");
        }
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i])) {
                throw new IllegalArgumentException("time grid entry " + i + " is not finite: " + times[i]);
            }
        }
        if (times.length > 1) {
            boolean increasing = times[1] > times[0];
            for (int i = 1; i < times.length; i++) {
                if (increasing ? !(times[i] > times[i - 1]) : !(times[i] < times[i - 1])) {
                    throw new IllegalArgumentException("the time grid must be strictly increasing or strictly decreasing, "
                            + "but entries " + (i - 1) + " and " + i + " are " + times[i - 1] + " and " + times[i]);
                }
            }
        }
    }

    /** Counts calls, negates time and derivative for a reversed solve, and checks the derivative's shape. */
    private static final class CountedSystem implements OdeSystem {
        private final OdeSystem system;
        private final long[][] shapes;
        private final boolean reversed;
        private long evaluations;

        CountedSystem(OdeSystem system, INDArray[] y0, boolean reversed) {
            this.system = system;
            this.reversed = reversed;
            this.shapes = Arrays.stream(y0).map(INDArray::shape).toArray(long[][]::new);
        }

        @Override
        public INDArray[] derivative(double t, INDArray[] y) {
            evaluations++;
            INDArray[] dy = system.derivative(reversed ? -t : t, y);
            if (dy == null || dy.length != shapes.length) {
                throw new IllegalStateException("the ODE system returned " + (dy == null ? "null" : dy.length + " parts")
                        + " for a state of " + shapes.length + " parts (t = " + (reversed ? -t : t) + ")");
            }
            for (int p = 0; p < dy.length; p++) {
                if (dy[p] == null || !Arrays.equals(dy[p].shape(), shapes[p])) {
                    throw new IllegalStateException("the ODE system returned part " + p + " of shape "
                            + (dy[p] == null ? "null" : Arrays.toString(dy[p].shape())) + " for a state of shape "
                            + Arrays.toString(shapes[p]));
                }
            }
            return reversed ? StateTuple.negated(dy) : dy;
        }

        long evaluations() {
            return evaluations;
        }
    }
}
