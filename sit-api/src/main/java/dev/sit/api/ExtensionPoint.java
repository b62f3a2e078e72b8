package dev.sit.api;

import dev.sit.api.data.DatasetSource;
import dev.sit.api.eval.FeatureExtractor;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.api.sampling.DiffusionForm;
import dev.sit.api.sampling.LastStep;
import dev.sit.api.sampling.OdeSolver;
import dev.sit.api.sampling.SdeSolver;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.TimeSampler;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of plugin: its id (as used in messages and in {@code sit plugins}) and the interface
 * its objects implement. The set is closed: these are the variation points of SiT.
 */
public final class ExtensionPoint<T> {

    public static final ExtensionPoint<Interpolant> INTERPOLANT =
            new ExtensionPoint<>("interpolant", "path x_t = alpha(t) x1 + sigma(t) x0", Interpolant.class);
    public static final ExtensionPoint<PredictionTarget> PREDICTION_TARGET =
            new ExtensionPoint<>("prediction", "what the network predicts (velocity, score, noise, data)", PredictionTarget.class);
    public static final ExtensionPoint<LossWeight> LOSS_WEIGHT =
            new ExtensionPoint<>("loss-weight", "per-sample weight of the training loss", LossWeight.class);
    public static final ExtensionPoint<TimeSampler> TIME_SAMPLER =
            new ExtensionPoint<>("time-sampler", "distribution of the training times t in [0, 1] (0 noise, 1 data)", TimeSampler.class);
    public static final ExtensionPoint<DiffusionForm> DIFFUSION_FORM =
            new ExtensionPoint<>("diffusion-form", "diffusion coefficient w(t) of the sampling SDE", DiffusionForm.class);
    public static final ExtensionPoint<LastStep> LAST_STEP =
            new ExtensionPoint<>("last-step", "the final SDE step at t1", LastStep.class);
    public static final ExtensionPoint<OdeSolver> ODE_SOLVER =
            new ExtensionPoint<>("ode-solver", "integrator of the probability-flow ODE", OdeSolver.class);
    public static final ExtensionPoint<SdeSolver> SDE_SOLVER =
            new ExtensionPoint<>("sde-solver", "integrator of the sampling SDE", SdeSolver.class);
    public static final ExtensionPoint<MetricsLogger> METRICS_LOGGER =
            new ExtensionPoint<>("logger", "receives configuration, scalars and images of a run", MetricsLogger.class);
    public static final ExtensionPoint<DatasetSource> DATASET_SOURCE =
            new ExtensionPoint<>("dataset", "source of training examples", DatasetSource.class);

    public static final ExtensionPoint<FeatureExtractor> FEATURE_EXTRACTOR =
            new ExtensionPoint<>("feature-extractor", "images -> features for FID, sFID, IS, precision/recall",
                    FeatureExtractor.class);
    public static final ExtensionPoint<GradientCommunicator> COMMUNICATOR =
            new ExtensionPoint<>("communicator", "averages the gradients of data-parallel replicas", GradientCommunicator.class);

    private static final List<ExtensionPoint<?>> ALL = List.of(
            INTERPOLANT, PREDICTION_TARGET, LOSS_WEIGHT, TIME_SAMPLER, DIFFUSION_FORM, LAST_STEP,
            ODE_SOLVER, SDE_SOLVER, METRICS_LOGGER, DATASET_SOURCE, FEATURE_EXTRACTOR, COMMUNICATOR);

    private final String id;
    private final String description;
    private final Class<T> type;

    private ExtensionPoint(String id, String description, Class<T> type) {
        this.id = id;
        this.description = description;
        this.type = type;
    }

    /** Every extension point, in a fixed order. */
    public static List<ExtensionPoint<?>> all() {
        return ALL;
    }

    /** The extension point with this id, ignoring case. */
    public static Optional<ExtensionPoint<?>> byId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(p -> p.id.equals(wanted)).findFirst();
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return id;
    }
}
