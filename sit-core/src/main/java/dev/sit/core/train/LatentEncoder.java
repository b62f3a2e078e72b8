package dev.sit.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Turns a batch of images into the latents the model trains on (the SD VAE, scaled), seeded. */
@FunctionalInterface
public interface LatentEncoder {

    INDArray encode(INDArray images, long seed);
}
