package dev.sit.plugins.interpolants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.testkit.PredictionTargetContract;
import dev.sit.api.transport.Affine;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data (x-prediction) target passes the target contract where its division is not clipped
 * (min_sigma below every sigma of the kit's times), and keeps the velocity exact where it is.
 */
class DataPredictionContractTest extends PredictionTargetContract {

    @Override
    protected PredictionTarget target() {
        return new DataPrediction(new DataOptions(1e-4));
    }

    @Override
    protected List<Interpolant> paths() {
        List<Interpolant> paths = BundledPlugins.contractPaths();
        paths.add(ExamplePlugin.cosine());
        return paths;
    }

    @Test
    void isBundledWithJiTsClipByDefault() {
        PredictionTarget bundled = BundledPlugins.target("data");
        PathCoefficients end = BundledPlugins.path("Linear").at(1.0);
        // at the data end sigma = 0: the drift divides by min_sigma = 0.05 instead
        Affine v = bundled.toVelocity(end);
        assertThat(v.outCoefficient()).isCloseTo(1.0 + 1.0 / 0.05, within(1e-12));
        assertThat(v.xCoefficient()).isCloseTo(-1.0 / 0.05, within(1e-12));
    }

    @Test
    void onTheLinearPathTheDriftIsOutMinusXOverOneMinusT() {
        PredictionTarget target = BundledPlugins.target("data");
        for (double t : new double[] {0.0, 0.3, 0.9}) {
            Affine v = target.toVelocity(BundledPlugins.path("Linear").at(t));
            // (out - x) / (1 - t)
            assertThat(v.outCoefficient()).isCloseTo(1.0 / (1.0 - t), within(1e-12));
            assertThat(v.xCoefficient()).isCloseTo(-1.0 / (1.0 - t), within(1e-12));
            Regression r = target.regression(BundledPlugins.path("Linear").at(t));
            // (out - x1)^2 / (1 - t)^2
            assertThat(r.outScale()).isCloseTo(1.0 / (1.0 - t), within(1e-12));
            assertThat(r.x1Coefficient()).isCloseTo(1.0 / (1.0 - t), within(1e-12));
            assertThat(r.x0Coefficient()).isCloseTo(0.0, within(1e-12));
        }
    }

    @Test
    void theClippedLossStillMeasuresTheVelocityError() {
        // v(out, x_t) - u_t = outScale out - (c1 x1 + c0 x0) for every out, x1, x0, clipped or not
        PredictionTarget target = BundledPlugins.target("data");
        for (Interpolant path : paths()) {
            for (double t : new double[] {0.5, 0.97, 0.999}) {
                PathCoefficients c = path.at(t);
                Regression r = target.regression(c);
                Affine v = target.toVelocity(c);
                double out = 0.7;
                double x1 = -0.4;
                double x0 = 1.3;
                double xt = c.alpha() * x1 + c.sigma() * x0;
                double velocityError = v.outCoefficient() * out + v.xCoefficient() * xt - (c.dAlpha() * x1 + c.dSigma() * x0);
                double regression = r.outScale() * out - (r.x1Coefficient() * x1 + r.x0Coefficient() * x0);
                assertThat(regression).as("%s at t = %s", path, t).isCloseTo(velocityError, within(1e-9 * (1 + Math.abs(velocityError))));
            }
        }
    }
}
