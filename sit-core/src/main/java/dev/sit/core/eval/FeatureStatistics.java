package dev.sit.core.eval;

import java.util.Arrays;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Gaussian fitted to a feature set, as ADM's evaluator fits it: {@code mu = np.mean(f, 0)}
 * (D) and {@code sigma = np.cov(f, rowvar=False)} (D, D) with the N-1 divisor, both float64.
 * An ADM reference batch stores these directly ({@code mu}, {@code sigma}, {@code mu_s},
 * {@code sigma_s}), in which case they are used as stored.
 *
 * <p>{@code factor}, when present, is F (N, D) with {@code sigma = F^T F}: the centred features
 * divided by sqrt(N-1). It is kept when there are no more vectors than dimensions, where it lets
 * {@link FrechetDistance} decompose an N x N matrix instead of a D x D one.
 */
public record FeatureStatistics(INDArray mu, INDArray sigma, Optional<INDArray> factor) {

    /** Rows per block when accumulating the covariance, so a 50k x 2048 set needs no float64 copy. */
    private static final int BLOCK = 4096;

    public FeatureStatistics {
        if (mu.rank() != 1 || sigma.rank() != 2 || sigma.rows() != mu.length() || sigma.columns() != mu.length()) {
            throw new IllegalArgumentException("statistics need mu (D) and sigma (D, D), got mu "
                    + Arrays.toString(mu.shape()) + " and sigma " + Arrays.toString(sigma.shape()));
        }
        factor.ifPresent(f -> {
            if (f.rank() != 2 || f.columns() != mu.length()) {
                throw new IllegalArgumentException("a covariance factor must be (N, " + mu.length() + "), got "
                        + Arrays.toString(f.shape()));
            }
        });
    }

    /** Statistics as stored (for example in an ADM reference batch), without a factor. */
    public FeatureStatistics(INDArray mu, INDArray sigma) {
        this(mu, sigma, Optional.empty());
    }

    /** Feature dimension D. */
    public int dimension() {
        return (int) mu.length();
    }

    /**
     * Mean and covariance of features (N, D): two passes in float64 over blocks of rows (the mean
     * first, then the centred Gram matrix), which is {@code np.cov}'s result up to rounding.
     */
    public static FeatureStatistics of(INDArray features) {
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be (N, D), got " + Arrays.toString(features.shape()));
        }
        long n = features.rows();
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 feature vectors, got " + n);
        }
        int d = (int) features.columns();
        INDArray sum = Nd4j.zeros(DataType.DOUBLE, 1, d);
        for (long start = 0; start < n; start += BLOCK) {
            sum.addi(block(features, start).sum(true, 0));
        }
        INDArray mean = sum.divi(n);
        INDArray gram = Nd4j.zeros(DataType.DOUBLE, d, d);
        for (long start = 0; start < n; start += BLOCK) {
            INDArray centred = block(features, start).subiRowVector(mean);
            gram.addi(centred.transpose().mmul(centred));
        }
        gram.divi(n - 1);
        // the Gram matrix of a centred block is symmetric in exact arithmetic; make it so in floating point
        INDArray sigma = gram.add(gram.transpose()).muli(0.5);
        Optional<INDArray> factor = Optional.empty();
        if (n <= d) {
            factor = Optional.of(features.castTo(DataType.DOUBLE).subRowVector(mean).divi(Math.sqrt(n - 1.0)));
        }
        return new FeatureStatistics(mean.reshape(d), sigma, factor);
    }

    private static INDArray block(INDArray features, long start) {
        long end = Math.min(features.rows(), start + BLOCK);
        return features.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).castTo(DataType.DOUBLE).dup('c');
    }
}
