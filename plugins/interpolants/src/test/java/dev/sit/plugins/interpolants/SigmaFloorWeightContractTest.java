package dev.sit.plugins.interpolants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.testkit.LossWeightContract;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.Regression;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled sigma-floor loss weight passes the weight contract, and with the data target on the
 * Linear path turns the loss {@code (out - x1)^2 / sigma^2} into {@code (out - x1)^2 / max(sigma, floor)^2}.
 */
class SigmaFloorWeightContractTest extends LossWeightContract {

    @Override
    protected LossWeight weight() {
        return BundledPlugins.weight("sigma-floor");
    }

    @Override
    protected List<Interpolant> paths() {
        return BundledPlugins.contractPaths();
    }

    @Test
    void isOneAboveTheFloorAndFallsAsSigmaSquaredBelowIt() {
        LossWeight w = new SigmaFloorWeight(new SigmaFloorOptions(0.4));
        Interpolant linear = BundledPlugins.path("Linear");
        assertThat(w.weight(linear.at(0.0))).isEqualTo(1.0);
        assertThat(w.weight(linear.at(0.6))).isEqualTo(1.0); // sigma = 0.4: the floor itself
        assertThat(w.weight(linear.at(0.8))).isCloseTo(0.25, within(1e-12)); // (0.2 / 0.4)^2
        assertThat(w.weight(linear.at(0.96))).isCloseTo(0.01, within(1e-12)); // (0.04 / 0.4)^2
        assertThat(BundledPlugins.weight("sigma-floor")).hasToString("sigma-floor(0.5)");
    }

    @Test
    void capsTheDataTargetsWeightOnTheImageErrorAtOneOverFloorSquared() {
        LossWeight w = new SigmaFloorWeight(new SigmaFloorOptions(0.5));
        DataPrediction data = new DataPrediction(new DataOptions(0.05));
        for (double t : new double[] {0.1, 0.3, 0.5, 0.7, 0.9, 0.95}) {
            PathCoefficients c = BundledPlugins.path("Linear").at(t);
            Regression r = data.regression(c);
            // the weighted squared error of out against x1, per unit of (out - x1)^2
            double perImageError = w.weight(c) * r.outScale() * r.outScale();
            double sigma = 1 - t;
            assertThat(perImageError).as("t = %s", t).isCloseTo(1 / Math.pow(Math.max(sigma, 0.5), 2), within(1e-9));
        }
    }
}
