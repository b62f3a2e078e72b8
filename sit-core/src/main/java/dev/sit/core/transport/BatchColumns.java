package dev.sit.core.transport;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-sample scalar coefficients (computed in double) as float32 tensors that broadcast over a
 * batch: a column (N, 1, ..., 1) of a given rank, or a vector (N).
 */
final class BatchColumns {

    private BatchColumns() {
    }

    /** A float32 (N, 1, ..., 1) array of rank {@code rank} holding {@code values}. */
    static INDArray column(double[] values, int rank) {
        long[] shape = new long[rank];
        Arrays.fill(shape, 1L);
        shape[0] = values.length;
        return Nd4j.create(values, shape, DataType.DOUBLE).castTo(DataType.FLOAT);
    }

    /** A float32 (N) vector holding {@code values}. */
    static INDArray vector(double[] values) {
        return Nd4j.create(values, new long[] {values.length}, DataType.DOUBLE).castTo(DataType.FLOAT);
    }

    /** True when every value equals {@code v} exactly (lets callers skip a no-op multiply). */
    static boolean all(double[] values, double v) {
        for (double x : values) {
            if (Double.compare(x, v) != 0) {
                return false;
            }
        }
        return true;
    }
}
