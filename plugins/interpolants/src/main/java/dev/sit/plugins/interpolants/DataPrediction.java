package dev.sit.plugins.interpolants;

import dev.sit.api.transport.Affine;
import dev.sit.api.transport.PathCoefficients;
import dev.sit.api.transport.PredictionTarget;
import dev.sit.api.transport.Regression;

/**
 * The network predicts the clean data {@code x1} and is trained on the velocity it implies (the
 * "x-prediction, v-loss" of Li and He, "Back to Basics: Let Denoising Generative Models Denoise",
 * 2025): a pixel-space transformer with large patches only has to reproduce the image manifold,
 * not the noise in every pixel. With {@code s = max(sigma, min_sigma)} (no division by zero at
 * the data end), the noise implied by {@code out} is {@code x0 = (x - alpha out) / s}, so:
 * <ul>
 *   <li>ODE drift: {@code v = d_alpha out + d_sigma x0 = (d_alpha - d_sigma alpha / s) out + (d_sigma / s) x};</li>
 *   <li>loss: {@code (v(out, x_t) - u_t)^2} with {@code x_t = alpha x1 + sigma x0}, i.e. the regression of
 *       {@code (d_alpha - d_sigma alpha / s) out} on {@code (d_alpha - d_sigma alpha / s) x1 + d_sigma (1 - sigma / s) x0};</li>
 *   <li>score: {@code s(x) = -x0 / s = (alpha out - x) / s^2}.</li>
 * </ul>
 * For the Linear path ({@code alpha = t}, {@code sigma = 1 - t}) and {@code 1 - t >= min_sigma}
 * the drift is {@code (out - x) / (1 - t)} and the loss {@code (out - x1)^2 / (1 - t)^2}.
 */
public final class DataPrediction implements PredictionTarget {

    private final double minSigma;

    public DataPrediction(DataOptions options) {
        this.minSigma = options.minSigma();
    }

    @Override
    public Regression regression(PathCoefficients c) {
        double s = Math.max(c.sigma(), minSigma);
        double outCoefficient = c.dAlpha() - c.dSigma() * c.alpha() / s;
        return new Regression(outCoefficient, outCoefficient, c.dSigma() * (1.0 - c.sigma() / s));
    }

    @Override
    public Affine toVelocity(PathCoefficients c) {
        double s = Math.max(c.sigma(), minSigma);
        return new Affine(c.dAlpha() - c.dSigma() * c.alpha() / s, c.dSigma() / s);
    }

    @Override
    public Affine toScore(PathCoefficients c) {
        double s = Math.max(c.sigma(), minSigma);
        return new Affine(c.alpha() / (s * s), -1.0 / (s * s));
    }

    @Override
    public String toString() {
        return "data";
    }
}
