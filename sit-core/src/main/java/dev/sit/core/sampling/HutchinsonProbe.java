package dev.sit.core.sampling;

import dev.sit.core.random.SeededNativeRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Probe vectors {@code e} for the Hutchinson trace estimate {@code tr(J) ~ e^T J e}, which is
 * unbiased when {@code E[e e^T] = I}. The reference draws Rademacher probes (+1/-1).
 */
@FunctionalInterface
public interface HutchinsonProbe {

    /** A new float32 probe of the given shape. */
    INDArray next(long... shape);

    /** Independent Rademacher entries (+1 or -1 with probability 1/2) from a seeded generator. */
    static HutchinsonProbe rademacher(long seed) {
        Random random = SeededNativeRandom.of(seed);
        return shape -> {
            synchronized (random) {
                INDArray bits = Nd4j.createUninitialized(DataType.FLOAT, shape);
                Nd4j.getExecutioner().exec(new BernoulliDistribution(bits, 0.5), random);
                return bits.muli(2f).subi(1f);
            }
        };
    }
}
