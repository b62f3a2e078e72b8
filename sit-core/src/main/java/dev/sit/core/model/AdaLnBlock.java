package dev.sit.core.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One SiT block (adaLN-Zero): {@code (shift1, scale1, gate1, shift2, scale2, gate2) = Linear(D, 6D)(SiLU(c))},
 * {@code x += gate1 * Attn(LN(x) (1 + scale1) + shift1)}, {@code x += gate2 * MLP(LN(x) (1 + scale2) + shift2)},
 * with {@code MLP = Linear(D, 4D) -> GELU(tanh) -> Linear(4D, D)}.
 */
final class AdaLnBlock {

    private AdaLnBlock() {
    }

    /** @param x (N, T, D) @param siluC SiLU(c), (N, D) */
    static SDVariable build(GraphScope g, int index, SDVariable x, SDVariable siluC) {
        String p = "blocks." + index;
        String n = "block" + index + "_";
        long d = g.config.hiddenSize();
        SDVariable[] m = AdaLnModulation.build(g, p + ".adaLN_modulation.1", siluC, 6, new int[] {1, 4},
                n + "adaLN");
        SDVariable attn = Attention.build(g, g.modulate(g.layerNorm(x), m[0], m[1]), p + ".attn", n + "attn_out");
        SDVariable x1 = x.add(m[2].mul(attn));
        SDVariable h = g.modulate(g.layerNorm(x1), m[3], m[4]);
        long hidden = g.config.mlpHidden();
        SDVariable fc1 = g.linear(null, g.sd.reshape(h, -1, d), p + ".mlp.fc1");
        SDVariable fc2 = g.linear(null, g.geluTanh(fc1), p + ".mlp.fc2");
        SDVariable mlp = g.sd.reshape(n + "mlp_out", fc2, -1, g.config.numPatches(), d);
        return g.sd.math.add(n + "out", x1, m[5].mul(mlp));
    }
}
