package dev.sit.core.vae;

import dev.sit.core.random.SeededNativeRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * The VAE posterior N(mean, diag(std^2)) from the encoder's moments [N, 2E, h, w]: the first E channels are
 * the mean, the last E the log-variance, clamped to [-30, 20] before {@code std = exp(logvar / 2)}.
 *
 * @param mean   [N, E, h, w]
 * @param logvar [N, E, h, w], clamped
 */
public record DiagonalGaussian(INDArray mean, INDArray logvar) {

    /** Splits moments (mean first, then log-variance) and clamps the log-variance. */
    public static DiagonalGaussian fromMoments(INDArray moments) {
        if (moments.rank() != 4 || moments.size(1) % 2 != 0) {
            throw new IllegalArgumentException("moments must be [N, 2*E, h, w], got " + Arrays.toString(moments.shape()));
        }
        long e = moments.size(1) / 2;
        INDArray mean = moments.get(NDArrayIndex.all(), NDArrayIndex.interval(0, e)).dup('c');
        INDArray logvar = moments.get(NDArrayIndex.all(), NDArrayIndex.interval(e, 2 * e)).dup('c');
        return new DiagonalGaussian(mean,
                Transforms.min(Transforms.max(logvar, VaeConfig.LOGVAR_MIN, false), VaeConfig.LOGVAR_MAX, false));
    }

    /** exp(logvar / 2). */
    public INDArray std() {
        return Transforms.exp(logvar.mul(0.5), false);
    }

    /** The mode (= mean). */
    public INDArray mode() {
        return mean;
    }

    /** mean + std * noise for a given standard-normal {@code noise} of the mean's shape. */
    public INDArray sample(INDArray noise) {
        if (!Arrays.equals(noise.shape(), mean.shape())) {
            throw new IllegalArgumentException("noise shape " + Arrays.toString(noise.shape()) + " differs from the"
                    + " latent shape " + Arrays.toString(mean.shape()));
        }
        return std().muli(noise).addi(mean);
    }

    /** A sample with noise from a generator seeded with {@code seed} (the same seed gives the same latent). */
    public INDArray sample(long seed) {
        INDArray noise = Nd4j.create(DataType.FLOAT, mean.shape());
        try (Random rng = SeededNativeRandom.of(seed)) {
            Nd4j.randn(noise, rng);
        } catch (Exception e) {
            throw new IllegalStateException("random generator failed: " + e.getMessage(), e);
        }
        return sample(noise);
    }

    /**
     * A sample with one seed per image: image i's noise comes from a generator seeded with {@code seeds[i]}, so
     * image i gets the latent that {@link #sample(long)} with {@code seeds[i]} gives it alone, whatever batch it is in.
     */
    public INDArray sample(long[] seeds) {
        if (seeds.length != mean.size(0)) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + mean.size(0) + " images");
        }
        long[] one = mean.shape().clone();
        one[0] = 1;
        INDArray[] noise = new INDArray[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            noise[i] = Nd4j.create(DataType.FLOAT, one);
            try (Random rng = SeededNativeRandom.of(seeds[i])) {
                Nd4j.randn(noise[i], rng);
            } catch (Exception e) {
                throw new IllegalStateException("random generator failed: " + e.getMessage(), e);
            }
        }
        return sample(noise.length == 1 ? noise[0] : Nd4j.concat(0, noise));
    }
}
