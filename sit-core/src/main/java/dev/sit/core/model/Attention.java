package dev.sit.core.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * timm's {@code Attention} as SiT uses it: {@code qkv = Linear(D, 3D)(x)} split as (3, heads, head_dim),
 * {@code softmax((q / sqrt(head_dim)) k^T) v}, heads merged back, {@code proj = Linear(D, D)}.
 * Written with rank-4 matrix products: ND4J's multi-head attention op has no q/k/v/o biases, and its
 * fused dot-product attention was slower inside the full model (SAMEDIFF-NOTES.md).
 */
final class Attention {

    private Attention() {
    }

    /** @param x (N, T, D) @param prefix e.g. {@code blocks.0.attn} */
    static SDVariable build(GraphScope g, SDVariable x, String prefix, String name) {
        SitConfig c = g.config;
        long d = c.hiddenSize();
        long t = c.numPatches();
        int heads = c.numHeads();
        long hd = c.headDim();
        SDVariable qkv = g.linear(name + "_qkv", g.sd.reshape(x, -1, d), prefix + ".qkv");
        SDVariable split = g.sd.permute(g.sd.reshape(qkv, -1, t, 3, heads, hd), 2, 0, 3, 1, 4);
        SDVariable[] qkvs = g.sd.unstack(split, 0, 3);
        SDVariable q = qkvs[0].mul(1.0 / Math.sqrt(hd));
        SDVariable scores = g.sd.mmul(q, qkvs[1], false, true, false);
        SDVariable weights = g.sd.nn.softmax(name + "_softmax", scores, 3);
        SDVariable heads4 = g.sd.mmul(weights, qkvs[2]);
        SDVariable merged = g.sd.reshape(name + "_merged", g.sd.permute(heads4, 0, 2, 1, 3), -1, d);
        return g.sd.reshape(name, g.linear(name + "_proj", merged, prefix + ".proj"), -1, t, d);
    }
}
