package dev.sit.core.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The reference's {@code FinalLayer} and {@code unpatchify}: {@code (shift, scale) = Linear(D, 2D)(SiLU(c))},
 * {@code Linear(D, p p C_out)(LN(x) (1 + scale) + shift)}, then (N, T, p p C_out) -> (N, h, w, p, p, C_out)
 * -> {@code nhwpqc -> nchpwq} -> (N, C_out, h p, w p). With learn_sigma the output keeps the first C
 * channels, as the reference's forward does.
 */
final class FinalLayer {

    private FinalLayer() {
    }

    /** Returns the model output (N, C, H, W), named {@code outputName}. */
    static SDVariable build(GraphScope g, SDVariable x, SDVariable siluC, String outputName) {
        SitConfig c = g.config;
        long d = c.hiddenSize();
        int p = c.patchSize();
        int grid = c.gridSize();
        int cOut = c.outChannels();
        SDVariable[] m = AdaLnModulation.build(g, "final_layer.adaLN_modulation.1", siluC, 2, new int[] {1},
                "final_adaLN");
        SDVariable h = g.modulate(g.layerNorm(x), m[0], m[1]);
        SDVariable patches = g.linear("final_layer_out_2d", g.sd.reshape(h, -1, d), "final_layer.linear");
        g.sd.reshape("final_layer_out", patches, -1, c.numPatches(), (long) p * p * cOut);
        SDVariable grid6 = g.sd.reshape(patches, -1, grid, grid, p, p, cOut);
        SDVariable image = g.sd.permute(grid6, 0, 5, 1, 3, 2, 4);
        if (!c.learnSigma()) {
            return g.sd.reshape(outputName, image, -1, cOut, c.inputSize(), c.inputSize());
        }
        SDVariable full = g.sd.reshape("unpatchified_full", image, -1, cOut, c.inputSize(), c.inputSize());
        SDVariable halves = g.sd.reshape(full, -1, 2, c.inChannels(), c.inputSize(), c.inputSize());
        return g.sd.unstack(new String[] {outputName, "sigma"}, halves, 1, 2)[0];
    }
}
