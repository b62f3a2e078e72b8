package dev.sit.plugins.interpolants;

import dev.sit.api.transport.Affine;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;

/**
 * The network predicts the noise {@code x0}.
 * <ul>
 *   <li>loss: {@code w (out - x0)^2};</li>
 *   <li>ODE drift: {@code v = -drift_mean + drift_var (out / -sigma)};</li>
 *   <li>score: {@code s = out / -sigma}.</li>
 * </ul>
 */
public final class NoisePrediction implements PredictionTarget {

    @Override
    public Regression regression(PathCoefficients c) {
        return new Regression(1.0, 0.0, 1.0);
    }

    @Override
    public Affine toVelocity(PathCoefficients c) {
        return new Affine(c.driftVar() / -c.sigma(), -c.driftMeanCoefficient());
    }

    @Override
    public Affine toScore(PathCoefficients c) {
        return new Affine(1.0 / -c.sigma(), 0.0);
    }

    @Override
    public String toString() {
        return "noise";
    }
}
