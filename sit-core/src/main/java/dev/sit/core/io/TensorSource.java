package dev.sit.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Named tensors that are read one at a time: the keys, shapes and whether each is floating point
 * are known up front (from a file header, or a parameter list), so a consumer checks everything
 * before reading any data and then holds one tensor at a time. Loading a model this way needs one
 * full copy of the weights (the model's own) plus the largest tensor, instead of the file's bytes,
 * the decoded map and the model's copy at once.
 */
public interface TensorSource extends Closeable {

    /** The tensor names, in the source's order. */
    List<String> keys();

    /** The shape of a tensor, without reading its data. */
    long[] shape(String key);

    /** Whether a tensor holds floating-point values (half, bfloat16, float32 or float64). */
    boolean isFloatingPoint(String key);

    /** Reads one tensor (a new array the caller owns; half and bfloat16 come as float32). */
    INDArray read(String key) throws IOException;

    /**
     * Called with each tensor {@link #read} gave once the caller is done with it: frees its native
     * memory now rather than when the JVM happens to collect it. A source whose tensors live on
     * elsewhere (a map) keeps them.
     */
    default void release(INDArray tensor) {
        if (tensor.closeable()) {
            tensor.close();
        }
    }

    /** Releases what the source holds open (a file); a source over memory has nothing to release. */
    @Override
    default void close() throws IOException {
    }

    /** The tensors of a map, which are already in memory (and stay there: {@link #release} keeps them). */
    static TensorSource of(Map<String, INDArray> tensors) {
        return new TensorSource() {
            @Override
            public List<String> keys() {
                return List.copyOf(tensors.keySet());
            }

            @Override
            public long[] shape(String key) {
                return tensors.get(key).shape();
            }

            @Override
            public boolean isFloatingPoint(String key) {
                return tensors.get(key).dataType().isFPType();
            }

            @Override
            public INDArray read(String key) {
                return tensors.get(key);
            }

            @Override
            public void release(INDArray tensor) {
                // the map's own array
            }
        };
    }
}
