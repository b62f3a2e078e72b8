package dev.sit.core.vae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Architecture of a KL autoencoder (the Stable Diffusion VAE family, CompVis {@code AutoencoderKL}).
 *
 * <p>Level {@code i} works with {@code ch * chMult[i]} channels; the encoder has {@code numResBlocks}
 * resnet blocks per level and downsamples by 2 after every level but the last; the decoder mirrors it
 * with {@code numResBlocks + 1} blocks per level and nearest x2 upsampling. The encoder emits
 * {@code 2 * zChannels} channels, {@code quant_conv} maps them to {@code 2 * embedDim} moments (mean,
 * log-variance), {@code post_quant_conv} maps an {@code embedDim} latent back to {@code zChannels}.
 * SiT latents are {@code sample * scalingFactor}.
 *
 * @param ch                base channel count ({@code block_out_channels[0]} in diffusers)
 * @param chMult            channel multiplier per resolution level
 * @param numResBlocks      resnet blocks per encoder level ({@code layers_per_block})
 * @param inChannels        image channels in
 * @param outChannels       image channels out
 * @param zChannels         latent channels before {@code quant_conv} / after {@code post_quant_conv}
 * @param embedDim          latent channels
 * @param resolution        nominal image size (informational; any size divisible by the downsampling factor works)
 * @param scalingFactor     latent scale of the diffusion model ({@code 0.18215} for SD)
 * @param midBlockAttention whether the mid blocks hold the single-head attention
 * @param normGroups        GroupNorm groups (32)
 */
public record VaeConfig(int ch, List<Integer> chMult, int numResBlocks, int inChannels, int outChannels,
                        int zChannels, int embedDim, int resolution, double scalingFactor,
                        boolean midBlockAttention, int normGroups) {

    /** GroupNorm epsilon of every normalisation in the VAE (not PyTorch's default 1e-5). */
    public static final double GROUP_NORM_EPS = 1e-6;
    /** Log-variance clamp of the diagonal Gaussian posterior. */
    public static final double LOGVAR_MIN = -30.0;
    public static final double LOGVAR_MAX = 20.0;
    /** SD's latent scale. */
    public static final double SD_SCALING_FACTOR = 0.18215;

    public VaeConfig {
        chMult = List.copyOf(chMult);
        if (ch <= 0 || chMult.isEmpty() || numResBlocks <= 0 || inChannels <= 0 || outChannels <= 0
                || zChannels <= 0 || embedDim <= 0 || normGroups <= 0 || !(scalingFactor > 0)) {
            throw new IllegalArgumentException("invalid VAE configuration: " + describe(ch, chMult, numResBlocks,
                    inChannels, outChannels, zChannels, embedDim, scalingFactor, normGroups));
        }
        for (int m : chMult) {
            if (m <= 0 || (ch * m) % normGroups != 0) {
                throw new IllegalArgumentException("invalid VAE configuration: every level's channel count ch*chMult[i]"
                        + " must be positive and divisible by normGroups=" + normGroups + "; got ch=" + ch
                        + ", chMult=" + chMult);
            }
        }
        if (ch % normGroups != 0) {
            throw new IllegalArgumentException("invalid VAE configuration: ch=" + ch + " is not divisible by normGroups="
                    + normGroups);
        }
    }

    private static String describe(int ch, List<Integer> chMult, int numResBlocks, int inChannels, int outChannels,
                                   int zChannels, int embedDim, double scalingFactor, int normGroups) {
        return "ch=" + ch + ", chMult=" + chMult + ", numResBlocks=" + numResBlocks + ", inChannels=" + inChannels
                + ", outChannels=" + outChannels + ", zChannels=" + zChannels + ", embedDim=" + embedDim
                + ", scalingFactor=" + scalingFactor + ", normGroups=" + normGroups;
    }

    /**
     * The SD VAE ({@code autoencoder_kl_32x32x4}; {@code stabilityai/sd-vae-ft-ema} and {@code -mse} share it):
     * ch 128, ch_mult (1,2,4,4), 2 resnet blocks, 4 latent channels, scaling factor 0.18215.
     */
    public static VaeConfig stableDiffusion() {
        return new VaeConfig(128, List.of(1, 2, 4, 4), 2, 3, 3, 4, 4, 256, SD_SCALING_FACTOR, true, 32);
    }

    /** The same architecture with another latent scale ({@code --scaling-factor}). */
    public VaeConfig withScalingFactor(double factor) {
        return new VaeConfig(ch, chMult, numResBlocks, inChannels, outChannels, zChannels, embedDim, resolution,
                factor, midBlockAttention, normGroups);
    }

    /** Number of resolution levels. */
    public int levels() {
        return chMult.size();
    }

    /** Image side / latent side: 2^(levels-1) (8 for SD). */
    public int downsampleFactor() {
        return 1 << (levels() - 1);
    }

    /** Channels at level {@code i}. */
    public int channels(int level) {
        return ch * chMult.get(level);
    }

    /** Reads a diffusers {@code config.json} ({@code AutoencoderKL}). */
    public static VaeConfig fromDiffusersConfig(Path configJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(configJson));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the VAE config " + configJson + ": " + e.getMessage(), e);
        }
        try {
            return fromDiffusersJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** Reads the fields of a diffusers {@code AutoencoderKL} config. */
    public static VaeConfig fromDiffusersJson(JsonNode c) {
        String cls = c.path("_class_name").asText("AutoencoderKL");
        if (!cls.equals("AutoencoderKL")) {
            throw new IllegalArgumentException("not a diffusers AutoencoderKL config (_class_name is " + cls + ")");
        }
        JsonNode boc = required(c, "block_out_channels");
        List<Integer> channels = new ArrayList<>();
        boc.forEach(n -> channels.add(n.asInt()));
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("block_out_channels is empty");
        }
        int ch = channels.get(0);
        List<Integer> mult = new ArrayList<>();
        for (int c1 : channels) {
            if (c1 % ch != 0) {
                throw new IllegalArgumentException("block_out_channels " + channels
                        + " are not multiples of the first entry; this VAE layout is not supported");
            }
            mult.add(c1 / ch);
        }
        checkBlockTypes(c, "down_block_types", "DownEncoderBlock2D", channels.size());
        checkBlockTypes(c, "up_block_types", "UpDecoderBlock2D", channels.size());
        String act = c.path("act_fn").asText("silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("act_fn " + act + " is not supported (only silu)");
        }
        if (!c.path("use_quant_conv").asBoolean(true) || !c.path("use_post_quant_conv").asBoolean(true)) {
            throw new IllegalArgumentException("use_quant_conv/use_post_quant_conv = false is not supported"
                    + " (the SD VAE has both)");
        }
        JsonNode shift = c.path("shift_factor");
        if (!shift.isMissingNode() && !shift.isNull() && shift.asDouble() != 0.0) {
            throw new IllegalArgumentException("shift_factor " + shift.asDouble() + " is not supported");
        }
        int latent = c.path("latent_channels").asInt(4);
        return new VaeConfig(ch, mult, c.path("layers_per_block").asInt(1), c.path("in_channels").asInt(3),
                c.path("out_channels").asInt(3), latent, latent, c.path("sample_size").asInt(256),
                c.path("scaling_factor").asDouble(SD_SCALING_FACTOR),
                c.path("mid_block_add_attention").asBoolean(true), c.path("norm_num_groups").asInt(32));
    }

    private static JsonNode required(JsonNode c, String field) {
        JsonNode n = c.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return n;
    }

    private static void checkBlockTypes(JsonNode c, String field, String expected, int levels) {
        JsonNode types = c.get(field);
        if (types == null) {
            return;
        }
        if (types.size() != levels) {
            throw new IllegalArgumentException(field + " has " + types.size() + " entries but block_out_channels has "
                    + levels);
        }
        for (JsonNode t : types) {
            if (!t.asText().equals(expected)) {
                throw new IllegalArgumentException(field + " contains " + t.asText() + "; only " + expected
                        + " is supported (attention outside the mid block is not implemented)");
            }
        }
    }

    /**
     * Every parameter's shape under the CompVis names (the internal naming), in CompVis state-dict order:
     * encoder, decoder, quant_conv, post_quant_conv. Attention q/k/v/proj_out are 1x1 convolutions
     * {@code [C, C, 1, 1]}. Allocates nothing.
     */
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        int levels = levels();
        // encoder
        conv(s, "encoder.conv_in", ch, inChannels, 3);
        int blockIn = ch;
        for (int i = 0; i < levels; i++) {
            int blockOut = channels(i);
            for (int j = 0; j < numResBlocks; j++) {
                resnet(s, "encoder.down." + i + ".block." + j, blockIn, blockOut);
                blockIn = blockOut;
            }
            if (i != levels - 1) {
                conv(s, "encoder.down." + i + ".downsample.conv", blockIn, blockIn, 3);
            }
        }
        mid(s, "encoder.mid", blockIn);
        norm(s, "encoder.norm_out", blockIn);
        conv(s, "encoder.conv_out", 2 * zChannels, blockIn, 3);
        // decoder
        blockIn = channels(levels - 1);
        conv(s, "decoder.conv_in", blockIn, zChannels, 3);
        mid(s, "decoder.mid", blockIn);
        Map<Integer, Map<String, long[]>> up = new LinkedHashMap<>();
        for (int i = levels - 1; i >= 0; i--) {
            Map<String, long[]> level = new LinkedHashMap<>();
            int blockOut = channels(i);
            for (int j = 0; j < numResBlocks + 1; j++) {
                resnet(level, "decoder.up." + i + ".block." + j, blockIn, blockOut);
                blockIn = blockOut;
            }
            if (i != 0) {
                conv(level, "decoder.up." + i + ".upsample.conv", blockIn, blockIn, 3);
            }
            up.put(i, level);
        }
        for (int i = 0; i < levels; i++) {
            s.putAll(up.get(i));   // CompVis registers decoder.up in level order 0..L-1
        }
        norm(s, "decoder.norm_out", blockIn);
        conv(s, "decoder.conv_out", outChannels, blockIn, 3);
        conv(s, "quant_conv", 2 * embedDim, 2 * zChannels, 1);
        conv(s, "post_quant_conv", zChannels, embedDim, 1);
        return s;
    }

    /** Parameter counts from {@link #parameterShapes()}. */
    public VaeParameterCount parameterCount() {
        long encoder = 0, decoder = 0, quant = 0, postQuant = 0;
        for (Map.Entry<String, long[]> e : parameterShapes().entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            String k = e.getKey();
            if (k.startsWith("encoder.")) {
                encoder += n;
            } else if (k.startsWith("decoder.")) {
                decoder += n;
            } else if (k.startsWith("quant_conv.")) {
                quant += n;
            } else {
                postQuant += n;
            }
        }
        return new VaeParameterCount(encoder, decoder, quant, postQuant);
    }

    private static void conv(Map<String, long[]> s, String name, int out, int in, int k) {
        s.put(name + ".weight", new long[] {out, in, k, k});
        s.put(name + ".bias", new long[] {out});
    }

    private static void norm(Map<String, long[]> s, String name, int c) {
        s.put(name + ".weight", new long[] {c});
        s.put(name + ".bias", new long[] {c});
    }

    private static void resnet(Map<String, long[]> s, String name, int in, int out) {
        norm(s, name + ".norm1", in);
        conv(s, name + ".conv1", out, in, 3);
        norm(s, name + ".norm2", out);
        conv(s, name + ".conv2", out, out, 3);
        if (in != out) {
            conv(s, name + ".nin_shortcut", out, in, 1);
        }
    }

    private void mid(Map<String, long[]> s, String name, int c) {
        resnet(s, name + ".block_1", c, c);
        if (midBlockAttention) {
            norm(s, name + ".attn_1.norm", c);
            conv(s, name + ".attn_1.q", c, c, 1);
            conv(s, name + ".attn_1.k", c, c, 1);
            conv(s, name + ".attn_1.v", c, c, 1);
            conv(s, name + ".attn_1.proj_out", c, c, 1);
        }
        resnet(s, name + ".block_2", c, c);
    }
}
