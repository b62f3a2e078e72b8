package dev.sit.core.transport;

import dev.sit.api.transport.RandomDraws;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link RandomDraws} from the generator of one training step (the one {@link Transport#sampleTraining}
 * draws the noise from), so that time samplers are seeded by (seed, step) like every other draw.
 */
public final class GeneratorDraws implements RandomDraws {

    private final Random random;

    public GeneratorDraws(Random random) {
        this.random = random;
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
