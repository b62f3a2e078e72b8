package dev.sit.core.eval;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** An in-memory batch of 8-bit RGB images (N, H, W, 3) served in slices. */
final class ArrayImages implements ImageSource {

    private final INDArray images;
    private long next;

    ArrayImages(INDArray images) {
        if (images.rank() != 4 || images.size(3) != 3) {
            throw new IllegalArgumentException("images must be 8-bit RGB (N, H, W, 3), got "
                    + Arrays.toString(images.shape()));
        }
        this.images = images;
    }

    @Override
    public long count() {
        return images.size(0);
    }

    @Override
    public INDArray next(int n) {
        long end = Math.min(images.size(0), next + n);
        INDArray out = images.get(NDArrayIndex.interval(next, end), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        next = end;
        return out;
    }

    @Override
    public void close() {
    }
}
