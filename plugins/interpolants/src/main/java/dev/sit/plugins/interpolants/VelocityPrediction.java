package dev.sit.plugins.interpolants;

import dev.sit.api.transport.Affine;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;

/**
 * The network predicts the velocity {@code u_t = d_alpha x1 + d_sigma x0}.
 * <ul>
 *   <li>loss: {@code (out - u_t)^2}, never weighted;</li>
 *   <li>ODE drift: {@code v = out};</li>
 *   <li>score: {@code s = ((alpha/d_alpha) out - x) / (sigma^2 - (alpha/d_alpha) d_sigma sigma)}.</li>
 * </ul>
 */
public final class VelocityPrediction implements PredictionTarget {

    @Override
    public Regression regression(PathCoefficients c) {
        return new Regression(1.0, c.dAlpha(), c.dSigma());
    }

    @Override
    public Affine toVelocity(PathCoefficients c) {
        return new Affine(1.0, 0.0);
    }

    @Override
    public Affine toScore(PathCoefficients c) {
        double reverseAlphaRatio = c.alpha() / c.dAlpha();
        double variance = c.sigma() * c.sigma() - reverseAlphaRatio * c.dSigma() * c.sigma();
        return new Affine(reverseAlphaRatio / variance, -1.0 / variance);
    }

    @Override
    public boolean isVelocity() {
        return true;
    }

    @Override
    public String toString() {
        return "velocity";
    }
}
