package dev.sit.core.transport;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training batch after the transport's draws, all float32:
 * {@code xt = alpha(t) x1 + sigma(t) x0} is the model input (with {@code t}), and the per-sample
 * loss of a model output {@code out} is
 * {@code weight * mean_over_non_batch((outScale * out - target)^2)} with
 * {@code target = x1Coefficient(t) x1 + x0Coefficient(t) x0} (see {@link dev.sit.api.transport.Regression}).
 *
 * @param x1       the data, (N, ...)
 * @param x0       the noise, same shape
 * @param t        the per-sample times, (N)
 * @param xt       the model input, same shape as x1
 * @param target   the regression target, same shape as x1
 * @param outScale the per-sample factor on the model output, (N, 1, ..., 1) with the rank of x1
 * @param weight   the per-sample loss weight, (N)
 */
public record TrainingSample(
        INDArray x1, INDArray x0, INDArray t, INDArray xt, INDArray target, INDArray outScale, INDArray weight) {

    /** The batch size N. */
    public long batchSize() {
        return x1.size(0);
    }
}
