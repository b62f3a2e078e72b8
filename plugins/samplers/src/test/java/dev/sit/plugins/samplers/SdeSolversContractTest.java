package dev.sit.plugins.samplers;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.sampling.SdeSolver;
import dev.sit.api.testkit.SdeSolverContract;
import org.junit.jupiter.api.Nested;

/** Both bundled SDE solvers, created through their plugin factories, pass the SDE solver test kit. */
class SdeSolversContractTest {

    @Nested
    class EulerMaruyama extends SdeSolverContract {
        @Override
        protected SdeSolver solver() {
            return BundledPlugins.create(ExtensionPoint.SDE_SOLVER, "Euler");
        }

        @Override
        protected int drawsPerStep() {
            return 1;
        }
    }

    @Nested
    class Heun extends SdeSolverContract {
        @Override
        protected SdeSolver solver() {
            return BundledPlugins.create(ExtensionPoint.SDE_SOLVER, "Heun");
        }

        @Override
        protected int drawsPerStep() {
            return 1;
        }
    }
}
