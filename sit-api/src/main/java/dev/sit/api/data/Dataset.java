package dev.sit.api.data;

import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random access to labelled examples, so that a run can resume at any data position. Images
 * are float32 (N, C, H, W) scaled to [-1, 1] ({@code x = u8 / 127.5 - 1}), or latents
 * (N, 4, H/8, W/8) for latent datasets. Implementations are safe to call from one training
 * thread; they may decode on their own threads.
 */
public interface Dataset extends AutoCloseable {

    /** Number of examples. */
    long size();

    /** Shape of one example: channels, height, width. */
    long[] exampleShape();

    /** Number of classes; labels are in [0, numClasses). */
    int numClasses();

    /** A readable name per class, in label order (by default the label numbers). */
    default List<String> classNames() {
        return IntStream.range(0, numClasses()).mapToObj(Integer::toString).toList();
    }

    /**
     * The examples at the given indices as one batch. {@code augmentationSeed} makes random
     * augmentation (for example horizontal flips) reproducible: the same index with the same
     * seed always gives the same example.
     */
    Batch load(long[] indices, long augmentationSeed);

    /**
     * A hint that {@link #load} will soon be called with exactly these arguments, so that a
     * dataset that decodes files can start on them in the background (the training loop calls
     * it for batch k+1 before computing step k). Does nothing by default.
     */
    default void prefetch(long[] indices, long augmentationSeed) {
    }

    @Override
    default void close() throws Exception {
    }
}
