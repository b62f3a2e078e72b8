package dev.sit.api.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random access to labelled examples, so that a run can resume at any data position. Images
 * are float32 (N, C, H, W) scaled to [-1, 1] (or latents, for latent datasets).
 */
public interface Dataset extends AutoCloseable {

    /** Number of examples. */
    long size();

    /** Shape of one example: channels, height, width. */
    long[] exampleShape();

    /** Number of classes; labels are in [0, numClasses). */
    int numClasses();

    /**
     * The examples at the given indices as one batch. {@code augmentationSeed} makes random
     * augmentation (for example horizontal flips) reproducible.
     */
    Batch load(long[] indices, long augmentationSeed);

    @Override
    default void close() throws Exception {
    }
}
