package dev.sit.core.eval;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Inception Score as ADM's evaluator computes it from class probabilities p(y|x) (N, K):
 * the images are cut into consecutive splits of {@code splitSize} (the last one may be
 * shorter), and for each split
 *
 * <pre>
 *   IS_split = exp( mean_x  sum_y p(y|x) (log p(y|x) - log p(y)) ),   p(y) = mean_x p(y|x)
 * </pre>
 *
 * the score is the mean of the splits' scores. ADM's split size is 5000. A probability of
 * exactly 0 contributes 0 (the limit of p log p), where numpy would give NaN.
 */
public final class InceptionScore {

    /** ADM's split size. */
    public static final int ADM_SPLIT_SIZE = 5000;

    private InceptionScore() {
    }

    /** The score of softmax outputs (N, K) with splits of {@code splitSize}. */
    public static double of(INDArray probabilities, int splitSize) {
        if (probabilities.rank() != 2 || probabilities.rows() == 0) {
            throw new IllegalArgumentException("Inception Score needs class probabilities (N, K) with N > 0, got "
                    + Arrays.toString(probabilities.shape()));
        }
        if (splitSize < 1) {
            throw new IllegalArgumentException("split size must be at least 1, got " + splitSize);
        }
        long n = probabilities.rows();
        double total = 0;
        int splits = 0;
        for (long start = 0; start < n; start += splitSize) {
            INDArray part = probabilities.get(NDArrayIndex.interval(start, Math.min(n, start + splitSize)),
                    NDArrayIndex.all()).castTo(DataType.DOUBLE);
            INDArray marginal = part.mean(true, 0);
            // p log p - p log p(y); log(0) is clamped so that 0 * log 0 = 0
            INDArray logP = Transforms.log(Transforms.max(part, Double.MIN_NORMAL, true), false);
            INDArray logMarginal = Transforms.log(Transforms.max(marginal, Double.MIN_NORMAL, true), false);
            INDArray kl = part.mul(logP.subRowVector(logMarginal));
            total += Math.exp(kl.sum(1).meanNumber().doubleValue());
            splits++;
        }
        return total / splits;
    }
}
