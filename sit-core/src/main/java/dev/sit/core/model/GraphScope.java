package dev.sit.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The SameDiff graph being built plus the SiT layer primitives shared by the blocks: linear layers
 * over the reference's parameters, layer norm without affine (eps 1e-6), adaLN modulation and
 * tanh GELU. Primitives avoid the ND4J ops that differ from PyTorch (see SAMEDIFF-NOTES.md).
 */
final class GraphScope {

    /** PyTorch's eps for SiT's LayerNorms. */
    static final double LAYER_NORM_EPS = 1e-6;
    /** 2 * sqrt(2 / pi): 0.5 (1 + tanh(a)) = sigmoid(2a). */
    private static final double GELU_LINEAR = 2.0 * Math.sqrt(2.0 / Math.PI);
    private static final double GELU_CUBIC = GELU_LINEAR * 0.044715;

    final SameDiff sd;
    final DataType dtype;
    final SitConfig config;
    private final Map<String, ParameterSpec> specs = new LinkedHashMap<>();
    private final Map<String, SDVariable> created = new LinkedHashMap<>();
    private SDVariable tokenZeros;
    private SDVariable keepTokenAxes;
    private SDVariable oneTokenSet;

    GraphScope(SameDiff sd, DataType dtype, SitConfig config) {
        this.sd = sd;
        this.dtype = dtype;
        this.config = config;
        for (ParameterSpec p : config.parameters()) {
            specs.put(p.key(), p);
        }
    }

    /** The trainable variable for a reference key, held in the graph layout ({@link ParameterSpec#graphShape()}). */
    SDVariable param(String key) {
        ParameterSpec spec = specs.get(key);
        if (spec == null) {
            throw new IllegalStateException("no reference parameter named " + key);
        }
        return created.computeIfAbsent(key, k -> variable(k, spec.graphShape()));
    }

    /**
     * A zero variable, which loading overwrites ({@code sd.var(name, type, shape)} would draw a
     * random initialisation through a temporary as large as the variable).
     */
    private SDVariable variable(String name, long[] shape) {
        return sd.var(name, org.nd4j.linalg.factory.Nd4j.create(dtype, shape));
    }

    /** {@code x W^T + b} over a 2-D input, with the reference Linear {@code prefix.weight} / {@code prefix.bias}. */
    SDVariable linear(String name, SDVariable x2d, String prefix) {
        return sd.math.add(name, sd.mmul(x2d, param(prefix + ".weight")), param(prefix + ".bias"));
    }

    /** Linear over the last axis of a (N, T, in) tensor, giving (N, T, out). */
    SDVariable tokenLinear(String name, SDVariable x3d, String prefix, long in, long out) {
        SDVariable flat = sd.reshape(x3d, -1, in);
        return sd.reshape(name, linear(null, flat, prefix), -1, config.numPatches(), out);
    }

    /**
     * LayerNorm over the last axis of (N, T, D) without affine parameters: (x - mean) / sqrt(var + 1e-6).
     * Axis given as 2: {@code mean(x, true, -1)} computes the wrong reduction in M2.1. The variance is
     * the mean of squares, not {@code sd.variance}: its backward pass uses the N-1 divisor even when the
     * forward uses N (gradients 8/7 too large over 8 values).
     */
    SDVariable layerNorm(SDVariable x) {
        SDVariable mean = sd.mean(x, true, 2);
        SDVariable centred = x.sub(mean);
        SDVariable variance = sd.mean(centred.mul(centred), true, 2);
        return centred.mul(toFullShape(sd.math.rsqrt(variance.add(LAYER_NORM_EPS))));
    }

    /**
     * Broadcasts an (N, T, 1) or (N, 1, D) operand to the full (N, T, D) token shape by adding zeros.
     * A multiply whose operands have equal shapes is much faster forwards and backwards than a
     * broadcasting multiply (measured 10x for (8, 256, 384) x (8, 1, 384) forward + backward), while a
     * broadcasting add is cheap, and its backward is a plain sum.
     */
    SDVariable toFullShape(SDVariable small) {
        if (tokenZeros == null) {
            tokenZeros = sd.constant("zeros_tokens", org.nd4j.linalg.factory.Nd4j.zeros(dtype, 1, config.numPatches(),
                    config.hiddenSize()));
        }
        return small.add(tokenZeros);
    }

    /**
     * adaLN modulation {@code x * (1 + scale) + shift}; {@code onePlusScale} already holds {@code 1 + scale}
     * (the graph adds the one to the modulation bias, see {@link AdaLnModulation}).
     */
    SDVariable modulate(SDVariable x, SDVariable shift, SDVariable onePlusScale) {
        return x.mul(toShapeOf(onePlusScale, x)).add(shift);
    }

    /**
     * {@link #toFullShape} for a per-sample (N, 1, D) modulation, with its (1, T, D) zeros made from the
     * shape of the tokens {@code like} instead of being a constant. With a constant, the broadcast depends
     * on the condition alone, and SameDiff runs it for every block at the start of a pass: four full token
     * arrays per block stayed alive until their block ran (SiT-XL/2: 0.15 GB per image in a forward pass).
     * Made from {@code like}'s shape (an integer tensor: no gradient), the zeros wait for the tokens.
     */
    SDVariable toShapeOf(SDVariable small, SDVariable like) {
        if (oneTokenSet == null) {
            // (N, T, D) * (0, 1, 1) + (1, 0, 0) = (1, T, D)
            keepTokenAxes = sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(0L, 1L, 1L));
            oneTokenSet = sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(1L, 0L, 0L));
        }
        SDVariable shape = sd.shape(like).castTo(DataType.INT64).mul(keepTokenAxes).add(oneTokenSet);
        return small.add(sd.fill(shape, dtype, 0.0));
    }

    /** {@code gate * x} for a per-sample (N, 1, D) gate and (N, T, D) tokens. */
    SDVariable gated(SDVariable gate, SDVariable x) {
        return toShapeOf(gate, x).mul(x);
    }

    /**
     * GELU, tanh approximation: {@code 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))}, written as the
     * identical {@code z * sigmoid(2 sqrt(2/pi) z + 2 sqrt(2/pi) 0.044715 z^3)} (fewer ops).
     * ND4J's {@code gelu} is the sigmoid approximation and {@code preciseGelu} is inaccurate.
     */
    SDVariable geluTanh(SDVariable z) {
        SDVariable inner = z.mul(GELU_LINEAR).add(sd.math.cube(z).mul(GELU_CUBIC));
        return z.mul(sd.nn.sigmoid(inner));
    }

    /** SiLU = x * sigmoid(x) ({@code swish} in ND4J). */
    SDVariable silu(SDVariable x) {
        return sd.nn.swish(x);
    }

    /** Name of a graph variable, or null (SameDiff picks one). */
    static String named(String prefix, String name) {
        return prefix == null ? null : prefix + name;
    }
}
