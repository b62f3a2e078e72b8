package dev.sit.plugins.interpolants;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.List;

/**
 * The bundled transport plugins: paths {@code Linear}, {@code GVP}, {@code VP}; prediction targets
 * {@code velocity}, {@code score}, {@code noise}; loss weights {@code none}, {@code velocity},
 * {@code likelihood}; time samplers {@code uniform}, {@code logit-normal}, {@code mode}.
 */
public final class InterpolantsPlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(
                PluginFactory.of(ExtensionPoint.INTERPOLANT, "Linear",
                        "x_t = t x1 + (1 - t) x0 (rectified flow / stochastic interpolant)", LinearPath::new),
                PluginFactory.of(ExtensionPoint.INTERPOLANT, "GVP",
                        "x_t = sin(pi t/2) x1 + cos(pi t/2) x0 (generalised variance preserving)", GvpPath::new),
                PluginFactory.of(ExtensionPoint.INTERPOLANT, "VP",
                        "variance-preserving diffusion path with a linear beta schedule", VpOptions.class, VpPath::new),
                PluginFactory.of(ExtensionPoint.PREDICTION_TARGET, "velocity",
                        "the network predicts the velocity d_alpha x1 + d_sigma x0", VelocityPrediction::new),
                PluginFactory.of(ExtensionPoint.PREDICTION_TARGET, "score",
                        "the network predicts the score -x0 / sigma", ScorePrediction::new),
                PluginFactory.of(ExtensionPoint.PREDICTION_TARGET, "noise",
                        "the network predicts the noise x0", NoisePrediction::new),
                PluginFactory.of(ExtensionPoint.PREDICTION_TARGET, "data",
                        "the network predicts the clean data x1, trained on the implied velocity (JiT's x-prediction)",
                        DataOptions.class, DataPrediction::new),
                PluginFactory.of(ExtensionPoint.LOSS_WEIGHT, "none",
                        "no weighting: w = 1", UniformWeight::new),
                PluginFactory.of(ExtensionPoint.LOSS_WEIGHT, "velocity",
                        "w = (drift_var / sigma)^2 (ignored by the velocity target)", VelocityWeight::new),
                PluginFactory.of(ExtensionPoint.LOSS_WEIGHT, "likelihood",
                        "w = drift_var / sigma^2 (ignored by the velocity target)", LikelihoodWeight::new),
                PluginFactory.of(ExtensionPoint.LOSS_WEIGHT, "sigma-floor",
                        "w = min(1, (sigma / floor)^2): caps the data target's 1 / sigma^2 near the data end",
                        SigmaFloorOptions.class, SigmaFloorWeight::new),
                PluginFactory.of(ExtensionPoint.TIME_SAMPLER, "uniform",
                        "t ~ U[0, 1] (the reference)", UniformTime::new),
                PluginFactory.of(ExtensionPoint.TIME_SAMPLER, "logit-normal",
                        "t = sigmoid(mean + std n), n ~ N(0, 1) (SD3)", LogitNormalOptions.class, LogitNormalTime::new),
                PluginFactory.of(ExtensionPoint.TIME_SAMPLER, "mode",
                        "t = 1 - v - scale (cos^2(pi v/2) - 1 + v), v ~ U[0, 1] (SD3 mode sampling)", ModeOptions.class,
                        ModeTime::new));
    }
}
