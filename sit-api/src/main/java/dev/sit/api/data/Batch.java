package dev.sit.api.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Examples {@code x} (N, C, H, W) float32 and their class labels {@code y} (N) as int64. */
public record Batch(INDArray x, INDArray y) {
}
