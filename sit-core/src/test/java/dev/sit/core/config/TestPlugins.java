package dev.sit.core.config;

import dev.sit.api.Doc;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.Range;
import dev.sit.api.SitPlugin;
import dev.sit.api.data.DatasetSource;
import dev.sit.api.logging.LoggedImage;
import dev.sit.api.sampling.OdeSolution;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.OdeSystem;
import dev.sit.api.sampling.SolverStats;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import dev.sit.api.transport.Affine;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;
import dev.sit.core.plugin.PluginOrigin;
import dev.sit.core.plugin.PluginRegistry;
import java.util.List;
import java.util.Map;

/**
 * A small plugin set for configuration tests: the default transport names (Linear, velocity,
 * none), the default communicator (in-process), a path with options (Scaled), and a logger with a secret option.
 */
final class TestPlugins implements SitPlugin {

    /** Options with a default, a range and documentation. */
    record ScaledOptions(@Doc("scale of alpha") @Range(min = 0, minExclusive = true) Double scale, String note) {
        ScaledOptions {
            scale = scale == null ? 1.0 : scale;
        }
    }

    record SecretOptions(String project, String apiKey) {
    }

    static PluginRegistry registry() {
        return PluginRegistry.of(Map.of(new TestPlugins(), PluginOrigin.CLASS_PATH));
    }

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(
                PluginFactory.of(ExtensionPoint.INTERPOLANT, "Linear", "x_t = t x1 + (1-t) x0", () -> new Scaled(1)),
                PluginFactory.of(ExtensionPoint.INTERPOLANT, "Scaled", "scaled linear", ScaledOptions.class, o -> new Scaled(o.scale())),
                PluginFactory.of(ExtensionPoint.PREDICTION_TARGET, "velocity", "velocity", Velocity::new),
                PluginFactory.of(ExtensionPoint.LOSS_WEIGHT, "none", "w = 1", () -> (LossWeight) c -> 1.0),
                PluginFactory.of(ExtensionPoint.TIME_SAMPLER, "uniform", "t ~ U[0, 1]", UniformTime::new),
                PluginFactory.of(ExtensionPoint.COMMUNICATOR, "in-process", "the default of train.communicator",
                        dev.sit.core.parallel.InProcessCommunicator::new),
                PluginFactory.of(ExtensionPoint.METRICS_LOGGER, "console", "prints", () -> new Quiet()),
                PluginFactory.of(ExtensionPoint.METRICS_LOGGER, "metrics-file", "writes", () -> new Quiet()),
                PluginFactory.of(ExtensionPoint.ODE_SOLVER, "dopri5", "explicit Euler under the default name", Euler::new),
                PluginFactory.of(ExtensionPoint.DATASET_SOURCE, "folder", "never opened by configuration tests",
                        () -> (DatasetSource) context -> {
                            throw new java.io.IOException("configuration tests do not open datasets");
                        }),
                PluginFactory.of(ExtensionPoint.METRICS_LOGGER, "secret", "needs a key", SecretOptions.class, o -> new Quiet()));
    }

    static final class UniformTime implements dev.sit.api.transport.TimeSampler {
        public INDArray sample(long n, dev.sit.api.transport.RandomDraws draws) {
            return draws.uniform(n);
        }

        public double cdf(double t) {
            return Math.min(1, Math.max(0, t));
        }

        public boolean isUniform() {
            return true;
        }
    }

    record Scaled(double scale) implements Interpolant {
        public double alpha(double t) {
            return scale * t;
        }

        public double dAlpha(double t) {
            return scale;
        }

        public double sigma(double t) {
            return 1 - t;
        }

        public double dSigma(double t) {
            return -1;
        }
    }

    static final class Velocity implements PredictionTarget {
        public Regression regression(PathCoefficients c) {
            return new Regression(1, c.dAlpha(), c.dSigma());
        }

        public Affine toVelocity(PathCoefficients c) {
            return new Affine(1, 0);
        }

        public Affine toScore(PathCoefficients c) {
            double r = c.alpha() / c.dAlpha();
            double d = c.sigma() * c.sigma() - r * c.dSigma() * c.sigma();
            return new Affine(r / d, -1 / d);
        }

        public boolean isVelocity() {
            return true;
        }
    }

    /** Explicit Euler on the given grid: enough to resolve a sampler choice. */
    static final class Euler implements OdeSolver {
        public OdeSolution solve(OdeSystem system, INDArray[] y0, double[] times, boolean keepTrajectory) {
            List<INDArray[]> states = new java.util.ArrayList<>();
            INDArray[] y = y0;
            states.add(y);
            for (int i = 1; i < times.length; i++) {
                INDArray[] f = system.derivative(times[i - 1], y);
                INDArray[] next = new INDArray[y.length];
                for (int k = 0; k < y.length; k++) {
                    next[k] = y[k].add(f[k].mul(times[i] - times[i - 1]));
                }
                y = next;
                if (keepTrajectory) {
                    states.add(y);
                }
            }
            if (!keepTrajectory) {
                states = java.util.Collections.singletonList(y);
            }
            return new OdeSolution(states, new SolverStats(times.length - 1, times.length - 1, 0));
        }
    }

    static final class Quiet implements MetricsLogger {
        public void start(RunContext run) {
        }

        public void logScalars(long step, Map<String, Double> scalars) {
        }

        public void logImage(long step, LoggedImage image) {
        }

        public void finish(int exitCode) {
        }
    }
}
