package dev.sit.core.model;

import dev.sit.core.io.TensorSource;
import dev.sit.core.random.CounterRandom;
import java.util.LinkedHashMap;
import java.util.List;
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
            out.put(p.key(), tensor(config, p, seed, dtype));
        }
        return out;
    }

    /**
     * The same tensors, each made when it is read: a model initialised from this holds one
     * tensor besides its own weights (an XL/2 state dict is 2.7 GB).
     */
    public static TensorSource tensors(SitConfig config, long seed, DataType dtype) {
        Map<String, ParameterSpec> specs = new LinkedHashMap<>();
        for (ParameterSpec p : config.parameters()) {
            specs.put(p.key(), p);
        }
        return new TensorSource() {
            @Override
            public List<String> keys() {
                return List.copyOf(specs.keySet());
            }

            @Override
            public long[] shape(String key) {
                return specs.get(key).shape();
            }

            @Override
            public boolean isFloatingPoint(String key) {
                return true;
            }

            @Override
            public INDArray read(String key) {
                return tensor(config, specs.get(key), seed, dtype);
            }
        };
    }

    private static INDArray tensor(SitConfig config, ParameterSpec p, long seed, DataType dtype) {
        long[] s = p.shape();
        return switch (p.init()) {
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
    }
}
