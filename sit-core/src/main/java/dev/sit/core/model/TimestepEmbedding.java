package dev.sit.core.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The reference's {@code TimestepEmbedder}: {@code freqs[k] = exp(-ln(10000) k / 128)},
 * {@code emb = [cos(t freqs), sin(t freqs)]} (cos first, raw t in [0, 1]), then
 * {@code Linear(256, D) -> SiLU -> Linear(D, D)}.
 */
public final class TimestepEmbedding {

    /** Width of the sinusoidal embedding. */
    public static final int FREQUENCY_SIZE = 256;
    private static final double MAX_PERIOD = 10000.0;

    private TimestepEmbedding() {
    }

    /** The 128 frequencies, computed in the given type as the reference does in float32. */
    public static INDArray frequencies(DataType dtype) {
        int half = FREQUENCY_SIZE / 2;
        return Transforms.exp(Nd4j.arange(0, half).castTo(dtype).muli(-Math.log(MAX_PERIOD)).divi(half), false)
                .reshape(1, half);
    }

    /** The sinusoidal embedding (N, 256) of times t (N), outside any graph. */
    public static INDArray sinusoidal(INDArray t) {
        INDArray args = t.reshape(-1, 1).mmul(frequencies(t.dataType()));
        return Nd4j.concat(1, Transforms.cos(args, true), Transforms.sin(args, true));
    }

    /** Builds the embedding of the placeholder {@code t} (N,), naming {@code t_freq} and {@code t_emb}. */
    static SDVariable build(GraphScope g, SDVariable t) {
        SDVariable freqs = g.sd.constant("t_frequencies", frequencies(g.dtype));
        SDVariable args = g.sd.reshape(t, -1, 1).mul(freqs);
        SDVariable emb = g.sd.concat("t_freq", 1, g.sd.math.cos(args), g.sd.math.sin(args));
        SDVariable h = g.sd.nn.swish("t_s1", g.linear("t_h1", emb, "t_embedder.mlp.0"));
        return g.linear("t_emb", h, "t_embedder.mlp.2");
    }
}
