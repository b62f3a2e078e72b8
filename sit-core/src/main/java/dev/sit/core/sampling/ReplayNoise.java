package dev.sit.core.sampling;

import dev.sit.api.sampling.NoiseSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Recorded noise played back in order: draw {@code i} is slice {@code i} of an array of shape
 * {@code (draws, *shape)}, e.g. the noise a reference run drew with {@code torch.randn} at each
 * SDE step. Asking for more draws than recorded, or for another shape, is an error.
 */
public final class ReplayNoise implements NoiseSource {

    private final INDArray draws;
    private final String origin;
    private int next;

    public ReplayNoise(INDArray draws, String origin) {
        if (draws == null || draws.rank() < 1) {
            throw new IllegalArgumentException("replay noise from " + origin + " needs an array of shape (draws, ...), got "
                    + (draws == null ? "null" : Arrays.toString(draws.shape())));
        }
        this.draws = draws.castTo(DataType.FLOAT);
        this.origin = origin;
    }

    /** Reads the draws from a NumPy {@code .npy} file (float32 or float64). */
    public static ReplayNoise fromNpy(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("replay noise file " + file + " does not exist");
        }
        INDArray draws;
        try {
            draws = Nd4j.createFromNpyFile(file.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read replay noise " + file + " as a NumPy .npy array: "
                    + e.getMessage(), e);
        }
        return new ReplayNoise(draws, file.toString());
    }

    @Override
    public synchronized INDArray next(long... shape) {
        long recorded = draws.size(0);
        if (next >= recorded) {
            throw new IllegalStateException("replay noise " + origin + " has only " + recorded
                    + " draws, but draw " + (next + 1) + " was asked for; record one slice per draw");
        }
        long[] sliceShape = Arrays.copyOfRange(draws.shape(), 1, draws.rank());
        if (!Arrays.equals(sliceShape, shape)) {
            throw new IllegalArgumentException("replay noise " + origin + " holds draws of shape "
                    + Arrays.toString(sliceShape) + ", but draw " + (next + 1) + " needs shape " + Arrays.toString(shape));
        }
        INDArray slice = draws.get(NDArrayIndex.point(next)).dup('c');
        next++;
        return slice.reshape(shape);
    }

    /** Draws used so far. */
    public synchronized int used() {
        return next;
    }

    /** Draws not used yet. */
    public synchronized long remaining() {
        return draws.size(0) - next;
    }
}
