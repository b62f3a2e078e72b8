package dev.sit.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-time label dropout of the reference's {@code LabelEmbedder.token_drop}: each label is
 * replaced by the null label {@code num_classes} with probability {@code class_dropout_prob}. Applied
 * to the labels fed to the graph, so evaluation (sampling, forward) never drops labels.
 */
public final class LabelDropout {

    private final double probability;
    private final int nullClass;

    public LabelDropout(SitConfig config) {
        this.probability = config.classDropoutProb();
        this.nullClass = config.nullClass();
    }

    /** Labels (N) as INT32 with each one replaced by the null label with the dropout probability. */
    public INDArray apply(INDArray labels, Random rng) {
        INDArray y = labels.castTo(DataType.INT32).reshape(-1);
        if (probability <= 0) {
            return y.dup();
        }
        INDArray drop = Nd4j.rand(rng, y.length()).lt(probability).castTo(DataType.INT32);
        // y * (1 - drop) + null * drop
        return y.mul(drop.rsub(1)).addi(drop.muli(nullClass));
    }
}
