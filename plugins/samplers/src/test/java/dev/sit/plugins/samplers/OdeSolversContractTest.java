package dev.sit.plugins.samplers;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.testkit.OdeSolverContract;
import org.junit.jupiter.api.Nested;

/** Every bundled ODE solver, created through its plugin factory, passes the ODE solver test kit. */
class OdeSolversContractTest {

    private static OdeSolver named(String name) {
        return BundledPlugins.create(ExtensionPoint.ODE_SOLVER, name);
    }

    private static OdeSolver named(String name, double atol, double rtol) {
        return BundledPlugins.create(ExtensionPoint.ODE_SOLVER, name, new AdaptiveSolverOptions(atol, rtol));
    }

    /** A fixed-grid method: its order and evaluations per step. */
    abstract static class FixedGrid extends OdeSolverContract {
        private final String name;
        private final int order;
        private final int evaluations;

        FixedGrid(String name, int order, int evaluations) {
            this.name = name;
            this.order = order;
            this.evaluations = evaluations;
        }

        @Override
        protected OdeSolver solver() {
            return named(name);
        }

        @Override
        protected int order() {
            return order;
        }

        @Override
        protected int evaluationsPerStep() {
            return evaluations;
        }
    }

    /** An adaptive method: its order; tolerances through the plugin options. */
    abstract static class Adaptive extends OdeSolverContract {
        private final String name;
        private final int order;

        Adaptive(String name, int order) {
            this.name = name;
            this.order = order;
        }

        @Override
        protected OdeSolver solver() {
            return named(name);
        }

        @Override
        protected OdeSolver withTolerances(double atol, double rtol) {
            return named(name, atol, rtol);
        }

        @Override
        protected int order() {
            return order;
        }

        @Override
        protected int evaluationsPerStep() {
            return 0;
        }
    }

    @Nested
    class Euler extends FixedGrid {
        Euler() {
            super("euler", 1, 1);
        }
    }

    @Nested
    class Midpoint extends FixedGrid {
        Midpoint() {
            super("midpoint", 2, 2);
        }
    }

    @Nested
    class Rk4 extends FixedGrid {
        Rk4() {
            super("rk4", 4, 4);
        }
    }

    @Nested
    class Heun2 extends FixedGrid {
        Heun2() {
            super("heun2", 2, 2);
        }
    }

    @Nested
    class Heun3 extends FixedGrid {
        Heun3() {
            super("heun3", 3, 3);
        }
    }

    @Nested
    class Dopri5 extends Adaptive {
        Dopri5() {
            super("dopri5", 5);
        }
    }

    @Nested
    class Bosh3 extends Adaptive {
        Bosh3() {
            super("bosh3", 3);
        }

        /** torchdiffeq's bosh3 midpoint weights (0, 1/2, 0, 0) are only second-order. */
        @Override
        protected boolean denseOutputExactForQuadratics() {
            return false;
        }
    }

    @Nested
    class AdaptiveHeun extends Adaptive {
        AdaptiveHeun() {
            super("adaptive_heun", 2);
        }
    }

    @Nested
    class Dopri8 extends Adaptive {
        Dopri8() {
            super("dopri8", 8);
        }
    }
}
