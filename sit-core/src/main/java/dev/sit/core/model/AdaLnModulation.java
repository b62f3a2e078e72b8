package dev.sit.core.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code adaLN_modulation = Sequential(SiLU, Linear(D, k D))} applied to the condition {@code c},
 * split into k chunks of D, each shaped (N, 1, D) to broadcast over the tokens.
 *
 * <p>Every modulation is used as {@code x * (1 + scale) + shift}. Instead of adding the one to an
 * (N, D) tensor per use, the graph adds a constant vector holding 1 at the scale chunks to the
 * Linear's bias (a (k D) add), so {@code scale} chunks come out as {@code 1 + scale}. The stored bias
 * stays the reference's bias exactly, so state dicts load and export without rounding.
 */
final class AdaLnModulation {

    private AdaLnModulation() {
    }

    /**
     * @param prefix       the reference key prefix, e.g. {@code blocks.3.adaLN_modulation.1}
     * @param siluC        SiLU(c), (N, D)
     * @param chunks       k, the number of D-sized chunks
     * @param scaleChunks  indices of the chunks that are scales (1 is added to them)
     * @param rawName      name for the reference's raw modulation output (N, k D) with the 1 added
     */
    static SDVariable[] build(GraphScope g, String prefix, SDVariable siluC, int chunks, int[] scaleChunks,
                              String rawName) {
        long d = g.config.hiddenSize();
        INDArray ones = Nd4j.zeros(g.dtype, chunks, d);
        for (int s : scaleChunks) {
            ones.getRow(s).assign(1.0);
        }
        SDVariable onesAtScale = g.sd.constant(ones.reshape(chunks * d));
        SDVariable bias = g.param(prefix + ".bias").add(onesAtScale);
        SDVariable mod = g.sd.math.add(rawName, g.sd.mmul(siluC, g.param(prefix + ".weight")), bias);
        return g.sd.unstack(g.sd.reshape(mod, -1, chunks, 1, d), 1, chunks);
    }
}
