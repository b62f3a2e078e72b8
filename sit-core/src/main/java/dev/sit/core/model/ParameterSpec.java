package dev.sit.core.model;

import java.util.Arrays;

/**
 * One tensor of the reference state dict: its key, its shape as PyTorch stores it, how the
 * graph holds it and how the reference initialises it.
 *
 * @param key   the reference's {@code state_dict} key, e.g. {@code blocks.0.attn.qkv.weight}
 * @param shape the reference shape (PyTorch Linear weights are {@code [out, in]})
 * @param kind  how the graph holds the tensor (see {@link Kind})
 * @param init  the reference initialisation rule
 */
public record ParameterSpec(String key, long[] shape, Kind kind, Init init) {

    /** Layout of a tensor in the graph relative to the reference layout. */
    public enum Kind {
        /** {@code pos_embed} (1, T, D): fixed, held as a graph constant, same layout. */
        POSITION_EMBEDDING,
        /** Conv2d weight (D, C, p, p): held as the matrix (C*p*p, D) = reshape(D, C*p*p)^T. */
        PATCH_WEIGHT,
        /** Linear weight (out, in): held transposed, (in, out), so that {@code y = x W + b}. */
        LINEAR_WEIGHT,
        /** A bias (out): same layout. */
        BIAS,
        /** The label table (rows, D): same layout. */
        EMBEDDING
    }

    /** The reference's {@code initialize_weights} rule for this tensor. */
    public enum Init {
        /** The fixed 2-D sin-cos table. */
        SINCOS,
        /** Xavier-uniform on the (out, in) view: U(-b, b), b = sqrt(6 / (fan_in + fan_out)). */
        XAVIER_UNIFORM,
        /** Normal(0, 0.02). */
        NORMAL_002,
        /** Zeros. */
        ZERO
    }

    public ParameterSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** Shape of the array as the graph holds it. */
    public long[] graphShape() {
        return switch (kind) {
            case PATCH_WEIGHT -> new long[] {shape[1] * shape[2] * shape[3], shape[0]};
            case LINEAR_WEIGHT -> new long[] {shape[1], shape[0]};
            default -> shape.clone();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && key.equals(p.key) && Arrays.equals(shape, p.shape)
                && kind == p.kind && init == p.init;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key + Arrays.toString(shape);
    }
}
