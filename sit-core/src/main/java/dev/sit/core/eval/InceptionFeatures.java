package dev.sit.core.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the FID Inception network gives for a batch of N images: {@code pool3} (N, 2048), the
 * global average pool that FID uses; {@code spatial} (N, 2023), {@code mixed_6/conv} of sFID
 * (Mixed_6d's 1x1 branch after ReLU, first 7 channels, NHWC-flattened 17·17·7); {@code logits}
 * (N, 1008) = {@code pool3 · W_fc^T} without the bias, and their {@code softmax} (N, 1008),
 * which ADM's Inception Score uses.
 */
public record InceptionFeatures(INDArray pool3, INDArray spatial, INDArray logits, INDArray softmax) {
}
