package dev.sit.core.sampling;

import dev.sit.core.random.SeededNativeRandom;
import dev.sit.api.sampling.NoiseSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Standard normal float32 noise from its own seeded generator: the same seed and the same
 * sequence of shapes give the same noise, independently of ND4J's global generator.
 */
public final class SeededNoise implements NoiseSource {

    private final long seed;
    private final Random random;

    public SeededNoise(long seed) {
        this.seed = seed;
        this.random = SeededNativeRandom.of(seed);
    }

    public long seed() {
        return seed;
    }

    @Override
    public synchronized INDArray next(long... shape) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape);
        Nd4j.getExecutioner().exec(new GaussianDistribution(out, 0.0, 1.0), random);
        return out;
    }
}
