package dev.sit.core.model;

import dev.sit.core.random.CounterRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference's {@code initialize_weights}, seeded: xavier-uniform on every Linear weight (the
 * patch embedding on its (D, C p p) view), zero biases, N(0, 0.02) for the label table and both
 * timestep-MLP weights, zero adaLN and final Linear weights and biases, the fixed sin-cos
 * {@code pos_embed}. The same seed always gives the same tensors (not PyTorch's random stream):
 * each parameter is drawn from its own {@link CounterRandom} stream keyed by (seed, state-dict
 * key), so a tensor depends on nothing else (not the thread count, nor the other parameters).
 */
public final class ReferenceInitialisation {

    private ReferenceInitialisation() {
    }

    /** A full state dict in the reference layout and order. */
    public static Map<String, INDArray> stateDict(SitConfig config, long seed, DataType dtype) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterSpec p : config.parameters()) {
            long[] s = p.shape();
            INDArray a = switch (p.init()) {
                case SINCOS -> PositionEmbedding.table(config.hiddenSize(), config.gridSize(), dtype);
                case ZERO -> Nd4j.zeros(dtype, s);
                case NORMAL_002 -> CounterRandom.stream(seed, p.key()).normal(s, 0.0, 0.02, dtype);
                case XAVIER_UNIFORM -> {
                    long fanOut = s[0];
                    long fanIn = p.numel() / s[0];
                    double bound = Math.sqrt(6.0 / (fanIn + fanOut));
                    yield CounterRandom.stream(seed, p.key()).uniform(s, -bound, bound, dtype);
                }
            };
            out.put(p.key(), a);
        }
        return out;
    }
}
