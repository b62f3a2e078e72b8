package dev.sit.api.testkit;

import dev.sit.api.transport.RandomDraws;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** {@link RandomDraws} from one seeded ND4J generator, as the host gives a training step. */
public final class SeededDraws implements RandomDraws {

    private final Random random;

    public SeededDraws(long seed) {
        this.random = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    @Override
    public INDArray uniform(long n) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n);
        Nd4j.getExecutioner().exec(new UniformDistribution(out, 0.0, 1.0), random);
        return out;
    }

    @Override
    public INDArray normal(long n) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n);
        Nd4j.getExecutioner().exec(new GaussianDistribution(out, 0.0, 1.0), random);
        return out;
    }
}
