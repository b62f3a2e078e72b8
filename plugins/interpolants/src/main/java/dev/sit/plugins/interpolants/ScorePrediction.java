package dev.sit.plugins.interpolants;

import dev.sit.api.transport.Affine;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;

/**
 * The network predicts the score {@code grad log p_t(x)}, whose regression target is {@code -x0 / sigma}.
 * <ul>
 *   <li>loss: {@code w (out sigma + x0)^2};</li>
 *   <li>ODE drift: {@code v = -drift_mean + drift_var out};</li>
 *   <li>score: {@code s = out}.</li>
 * </ul>
 */
public final class ScorePrediction implements PredictionTarget {

    @Override
    public Regression regression(PathCoefficients c) {
        return new Regression(c.sigma(), 0.0, -1.0);
    }

    @Override
    public Affine toVelocity(PathCoefficients c) {
        return new Affine(c.driftVar(), -c.driftMeanCoefficient());
    }

    @Override
    public Affine toScore(PathCoefficients c) {
        return new Affine(1.0, 0.0);
    }

    @Override
    public String toString() {
        return "score";
    }
}
