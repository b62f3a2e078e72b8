package dev.sit.api.parallel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A replica's gradient list as one contiguous float32 vector, so that one exchange (an NCCL call, a Spark
 * allGather) carries them all: the arrays in list order, each in C order, whatever their data types (float64
 * gradients are reduced in float32 and written back in float64). Every replica passes the same shapes in the same
 * order ({@link ReplicaLink#allReduceMean}), so element {@code i} of every replica's vector is the same parameter's
 * gradient. For communicators' implementations.
 */
public final class FlatGradients {

    private FlatGradients() {
    }

    /** A new float32 vector holding {@code arrays} one after the other (C order each). */
    public static INDArray flatten(INDArray[] arrays) {
        // ND4J's flatten op needs one data type: float32 first (castTo keeps float32 arrays as they are)
        INDArray[] floats = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            floats[i] = arrays[i].castTo(DataType.FLOAT);
        }
        return Nd4j.toFlattened('c', floats);
    }

    /** Writes {@code flat}'s consecutive parts back into {@code arrays} (in their own data types). */
    public static void scatter(INDArray flat, INDArray[] arrays) {
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
