package dev.sit.core.vae;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the encoder and decoder of a KL autoencoder as SameDiff inference graphs for one spatial input size
 * (any batch size). Weights become constants shared with {@link VaeWeights}; PyTorch's [out, in, kH, kW]
 * convolution weights are used as they are (OIYX).
 *
 * <p>Inputs and outputs are NCHW like PyTorch's; inside, the graphs work in NHWC, where oneDNN's convolutions took
 * about half the CPU time of NCHW on this project's machine (measured: 3x3 conv, 128 channels, 256x256).
 *
 * <p>Every block's output is a named NHWC variable ({@code encoder.down.0.block.0.out}, {@code decoder.mid.attn_1.out},
 * ...: the CompVis module name + {@code .out}) so that tests and debugging can read intermediates.
 */
final class VaeGraphBuilder {

    /** Placeholder of the encoder graph: images [N, inChannels, H, W] in [-1, 1]. */
    static final String IMAGE = "x";
    /** Output of the encoder graph: quant_conv(encoder(x)), [N, 2*embedDim, H/f, W/f]. */
    static final String MOMENTS = "moments";
    /** Placeholder of the decoder graph: an unscaled latent [N, embedDim, h, w]. */
    static final String LATENT = "z";
    /** Output of the decoder graph: decoder(post_quant_conv(z)), [N, outChannels, h*f, w*f]. */
    static final String DECODED = "decoded";

    private final SameDiff sd = dev.sit.core.model.SingleCopyGraph.create();
    private final VaeWeights weights;
    private final VaeConfig config;
    private long height;
    private long width;

    private VaeGraphBuilder(VaeWeights weights, long height, long width) {
        this.weights = weights;
        this.config = weights.config();
        this.height = height;
        this.width = width;
    }

    /** The encoder + quant_conv for images of {@code height x width} (both divisible by the downsampling factor). */
    static SameDiff encoder(VaeWeights weights, long height, long width) {
        VaeConfig c = weights.config();
        checkDivisible(c, height, width, "image");
        VaeGraphBuilder b = new VaeGraphBuilder(weights, height, width);
        SDVariable x = b.sd.placeHolder(IMAGE, DataType.FLOAT, -1, c.inChannels(), height, width);
        SDVariable h = b.named("encoder.conv_in", b.conv(x.permute(0, 2, 3, 1), "encoder.conv_in", 3));
        for (int i = 0; i < c.levels(); i++) {
            for (int j = 0; j < c.numResBlocks(); j++) {
                String name = "encoder.down." + i + ".block." + j;
                h = b.named(name, b.resnet(h, name));
            }
            if (i != c.levels() - 1) {
                String name = "encoder.down." + i + ".downsample";
                h = b.named(name, b.downsample(h, name + ".conv"));
            }
        }
        h = b.mid(h, "encoder.mid");
        h = b.conv(b.sd.nn.swish(b.groupNorm(h, "encoder.norm_out")), "encoder.conv_out", 3);
        b.named("encoder.conv_out", h);
        b.sd.updateVariableNameAndReference(b.conv(h, "quant_conv", 1).permute(0, 3, 1, 2), MOMENTS);
        return b.sd;
    }

    /** post_quant_conv + the decoder for latents of {@code height x width}. */
    static SameDiff decoder(VaeWeights weights, long height, long width) {
        VaeConfig c = weights.config();
        VaeGraphBuilder b = new VaeGraphBuilder(weights, height, width);
        SDVariable z = b.sd.placeHolder(LATENT, DataType.FLOAT, -1, c.embedDim(), height, width);
        SDVariable h = b.named("post_quant_conv", b.conv(z.permute(0, 2, 3, 1), "post_quant_conv", 1));
        h = b.named("decoder.conv_in", b.conv(h, "decoder.conv_in", 3));
        h = b.mid(h, "decoder.mid");
        for (int i = c.levels() - 1; i >= 0; i--) {
            for (int j = 0; j < c.numResBlocks() + 1; j++) {
                String name = "decoder.up." + i + ".block." + j;
                h = b.named(name, b.resnet(h, name));
            }
            if (i != 0) {
                String name = "decoder.up." + i + ".upsample";
                h = b.named(name, b.upsample(h, name + ".conv"));
            }
        }
        h = b.conv(b.sd.nn.swish(b.groupNorm(h, "decoder.norm_out")), "decoder.conv_out", 3);
        b.sd.updateVariableNameAndReference(h.permute(0, 3, 1, 2), DECODED);
        return b.sd;
    }

    static void checkDivisible(VaeConfig c, long height, long width, String what) {
        int f = c.downsampleFactor();
        if (height % f != 0 || width % f != 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(what + " size " + height + "x" + width + " is not a positive multiple of"
                    + " the VAE's downsampling factor " + f + "; crop or resize the images to e.g. 256x256");
        }
    }

    private SDVariable named(String module, SDVariable v) {
        return sd.updateVariableNameAndReference(v, module + ".out");  // a rename, not a copy
    }

    private SDVariable param(String name) {
        SDVariable v = sd.getVariable(name);
        return v != null ? v : sd.constant(name, weights.get(name));
    }

    private SDVariable conv(SDVariable x, String name, int k) {
        return conv(x, name, k, 1, k / 2);
    }

    private SDVariable conv(SDVariable x, String name, int k, int stride, int pad) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").weightsFormat(WeightsFormat.OIYX).build();
        return sd.cnn.conv2d(x, param(name + ".weight"), param(name + ".bias"), cfg);
    }

    /** Channels of a variable built here (from the parameter shapes, so no shape inference is needed). */
    private long channelsOf(String normName) {
        return weights.get(normName + ".weight").length();
    }

    /**
     * GroupNorm(G, eps 1e-6) over contiguous channel groups x H x W per sample of NHWC x: two-pass biased variance
     * (mean, then mean of the squared centred values: what PyTorch computes, and stable where the decoder's early
     * activations are small), then {@code y = centred * (gamma * rsqrt(var + eps)) + beta}. ND4J's {@code variance}
     * op over these strided axes took several times the CPU time of the two mean reductions.
     */
    private SDVariable groupNorm(SDVariable x, String name) {
        long c = channelsOf(name);
        int g = config.normGroups();
        SDVariable grouped = x.reshape(-1, height * width, g, c / g);
        SDVariable centred = grouped.sub(grouped.mean(true, 1, 3));                // mean [N, 1, G, 1]
        SDVariable variance = sd.math.square(centred).mean(true, 1, 3);
        SDVariable scale = sd.math.rsqrt(variance.add(VaeConfig.GROUP_NORM_EPS))
                .mul(groupedParam(name + ".weight", g, c / g));                   // [N, 1, G, C/G]
        return centred.mul(scale).add(groupedParam(name + ".bias", g, c / g)).reshape(-1, height, width, c);
    }

    /** Per-channel parameter [C] as [1, 1, G, C/G] (contiguous channel groups). */
    private SDVariable groupedParam(String name, int groups, long perGroup) {
        String key = name + "/grouped";
        SDVariable v = sd.getVariable(key);
        return v != null ? v : sd.constant(key, weights.get(name).reshape(1, 1, groups, perGroup));
    }

    /** h = conv1(silu(norm1(x))); h = conv2(silu(norm2(h))); out = shortcut(x) + h. */
    private SDVariable resnet(SDVariable x, String name) {
        SDVariable h = conv(sd.nn.swish(groupNorm(x, name + ".norm1")), name + ".conv1", 3);
        h = conv(sd.nn.swish(groupNorm(h, name + ".norm2")), name + ".conv2", 3);
        SDVariable shortcut = weights.tensors().containsKey(name + ".nin_shortcut.weight")
                ? conv(x, name + ".nin_shortcut", 1) : x;
        return shortcut.add(h);
    }

    private SDVariable mid(SDVariable h, String name) {
        h = named(name + ".block_1", resnet(h, name + ".block_1"));
        if (config.midBlockAttention()) {
            h = named(name + ".attn_1", attention(h, name + ".attn_1"));
        }
        return named(name + ".block_2", resnet(h, name + ".block_2"));
    }

    /**
     * Single-head self-attention over the H*W positions: q, k, v = 1x1 convs of norm(x);
     * o_i = sum_j softmax_j(q_i . k_j / sqrt(C)) v_j; out = x + proj_out(o).
     */
    private SDVariable attention(SDVariable x, String name) {
        long c = channelsOf(name + ".norm");
        long t = height * width;
        SDVariable hn = groupNorm(x, name + ".norm");
        // dotProductAttention takes [batch, features, timesteps]: [N, T, C] -> [N, C, T] and back (small at the
        // lowest resolution, where the mid block sits)
        SDVariable q = conv(hn, name + ".q", 1).reshape(-1, t, c).permute(0, 2, 1);
        SDVariable k = conv(hn, name + ".k", 1).reshape(-1, t, c).permute(0, 2, 1);
        SDVariable v = conv(hn, name + ".v", 1).reshape(-1, t, c).permute(0, 2, 1);
        SDVariable o = sd.nn.dotProductAttention(q, k, v, null, true).permute(0, 2, 1).reshape(-1, height, width, c);
        return x.add(conv(o, name + ".proj_out", 1));
    }

    /** Zero-pad one column right and one row bottom, then 3x3 stride-2 conv without padding. */
    private SDVariable downsample(SDVariable x, String name) {
        SDVariable pads = sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {0, 1}, {0, 1}, {0, 0}}));
        SDVariable padded = sd.nn.pad(x, pads, PadMode.CONSTANT, 0.0);
        height = (height + 1 - 3) / 2 + 1;
        width = (width + 1 - 3) / 2 + 1;
        return conv(padded, name, 3, 2, 0);
    }

    /** Nearest-neighbour x2, then 3x3 conv. */
    private SDVariable upsample(SDVariable x, String name) {
        SDVariable up = sd.cnn.upsampling2d(x, 2, 2, false);
        height *= 2;
        width *= 2;
        return conv(up, name, 3);
    }
}
