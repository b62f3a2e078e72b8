package dev.sit.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Clipping by global norm, as PyTorch's {@code clip_grad_norm_}: with
 * {@code N = sqrt(sum_i ||g_i||^2)} over every parameter's gradient, each {@code g_i} is scaled by
 * {@code min(1, max / (N + 1e-6))}. The direction of the whole update is kept; only its length is
 * bounded.
 *
 * @param maxNorm the largest global norm let through ({@code train.grad_clip})
 */
public record GradientClipping(double maxNorm) {

    public GradientClipping {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("train.grad_clip must be a positive number, got " + maxNorm);
        }
    }

    /** The global norm of these gradients. */
    public static double globalNorm(INDArray[] gradients) {
        double sum = 0;
        for (INDArray g : gradients) {
            double n = g.norm2Number().doubleValue();
            sum += n * n;
        }
        return Math.sqrt(sum);
    }

    /** Scales the gradients in place when their global norm exceeds {@link #maxNorm}; returns the norm before. */
    public double clip(INDArray[] gradients) {
        double norm = globalNorm(gradients);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1) {
            for (INDArray g : gradients) {
                g.muli(coefficient);
            }
        }
        return norm;
    }
}
