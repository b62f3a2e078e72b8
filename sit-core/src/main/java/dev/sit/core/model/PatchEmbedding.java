package dev.sit.core.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The reference's {@code PatchEmbed}: Conv2d(C, D, kernel p, stride p) then flatten to (N, T, D),
 * tokens row-major over the (H/p, W/p) grid. Since stride equals kernel the convolution is a
 * matrix product over non-overlapping patches: (N, C, H, W) -> (N, h, w, C, p, p) -> (N T, C p p)
 * times the weight held as (C p p, D).
 */
final class PatchEmbedding {

    private PatchEmbedding() {
    }

    static SDVariable build(GraphScope g, SDVariable x) {
        SitConfig c = g.config;
        int p = c.patchSize();
        int grid = c.gridSize();
        SDVariable patches = g.sd.permute(g.sd.reshape(x, -1, c.inChannels(), grid, p, grid, p), 0, 2, 4, 1, 3, 5);
        SDVariable rows = g.sd.reshape(patches, -1, (long) c.inChannels() * p * p);
        SDVariable tokens = g.linear(null, rows, "x_embedder.proj");
        return g.sd.reshape("x_embedder_out", tokens, -1, c.numPatches(), c.hiddenSize());
    }
}
