package dev.sit.core.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 8-bit RGB images read front to back in batches, so that a set of 50k images never has to
 * sit in memory: an {@code .npy} or the {@code arr_0} of an {@code .npz} (uint8 NHWC, what
 * {@code sit sample --num-fid-samples} and ADM write), or a folder of PNG/JPEG files.
 */
public interface ImageSource extends AutoCloseable {

    /** Number of images. */
    long count();

    /** The next at most {@code n} images (n', H, W, 3), UBYTE; empty (0 rows) at the end. */
    INDArray next(int n) throws IOException;

    /**
     * Passes over the next {@code n} images without returning them (a partition of a cluster job starts at its first
     * image). This default reads them; sources that can seek override it.
     */
    default void skip(long n) throws IOException {
        for (long left = n; left > 0; ) {
            INDArray x = next((int) Math.min(left, 64));
            if (x.size(0) == 0) {
                throw new IOException("the image source ended " + left + " images before the " + n + " to skip");
            }
            left -= x.size(0);
        }
    }

    @Override
    void close() throws IOException;

    /** Images already in memory, 8-bit RGB (N, H, W, 3) (for example real images of a dataset, or fresh samples). */
    static ImageSource of(INDArray images) {
        return new ArrayImages(images);
    }

    /** Opens a file ({@code .npy}, {@code .npz} with {@code arr_0}) or a folder of images. */
    static ImageSource open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return ImageFolderImages.open(path);
        }
        return NpyImages.open(path);
    }
}
