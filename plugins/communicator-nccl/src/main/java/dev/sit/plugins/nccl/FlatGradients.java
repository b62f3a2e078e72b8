package dev.sit.plugins.nccl;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A replica's gradient list as one contiguous float32 vector, so that one NCCL call reduces them all: the arrays in
 * list order, each in C order. Every replica passes the same shapes in the same order ({@link
 * dev.sit.api.parallel.ReplicaLink#allReduceMean}), so element {@code i} of every replica's vector is the same
 * parameter's gradient.
 */
final class FlatGradients {

    private FlatGradients() {
    }

    /** A new float32 vector holding {@code arrays} one after the other (C order each). */
    static INDArray flatten(INDArray[] arrays) {
        // ND4J's flatten op needs one data type: float32 first (castTo keeps float32 arrays as they are)
        INDArray[] floats = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            floats[i] = arrays[i].castTo(DataType.FLOAT);
        }
        return Nd4j.toFlattened('c', floats);
    }

    /** Writes {@code flat}'s consecutive parts back into {@code arrays} (in their own data types). */
    static void scatter(INDArray flat, INDArray[] arrays) {
        long offset = 0;
        for (INDArray a : arrays) {
            a.assign(flat.get(NDArrayIndex.interval(offset, offset + a.length())).reshape('c', a.shape()));
            offset += a.length();
        }
        if (offset != flat.length()) {
            throw new IllegalArgumentException("the flat vector has " + flat.length() + " values but the arrays " + offset);
        }
    }
}
