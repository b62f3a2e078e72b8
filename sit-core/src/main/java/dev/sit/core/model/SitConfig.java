package dev.sit.core.model;

import dev.sit.core.model.ParameterSpec.Init;
import dev.sit.core.model.ParameterSpec.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Architecture of a SiT network (the reference's {@code SiT(...)} constructor arguments).
 *
 * @param hiddenSize       D, the token width
 * @param depth            number of adaLN-Zero blocks
 * @param numHeads         attention heads; D must be divisible by it
 * @param patchSize        p; the input size must be divisible by it
 * @param inputSize        latent height = width (image size / 8 for SD-VAE latents)
 * @param inChannels       latent channels C
 * @param numClasses       real class labels; label {@code numClasses} is the null label
 * @param learnSigma       the network also predicts C variance channels (dropped by the forward)
 * @param mlpRatio         MLP hidden width = (int) (D * mlpRatio)
 * @param classDropoutProb label dropout in training; > 0 adds the null row to the label table
 */
public record SitConfig(int hiddenSize, int depth, int numHeads, int patchSize, int inputSize, int inChannels,
                        int numClasses, boolean learnSigma, double mlpRatio, double classDropoutProb) {

    /** The reference's default label dropout. */
    public static final double DEFAULT_CLASS_DROPOUT = 0.1;
    /** The reference's default MLP ratio. */
    public static final double DEFAULT_MLP_RATIO = 4.0;

    /** The named widths of the SiT family: S, B, L, XL. */
    public enum Size {
        S(384, 12, 6), B(768, 12, 12), L(1024, 24, 16), XL(1152, 28, 16);

        public final int hiddenSize;
        public final int depth;
        public final int numHeads;

        Size(int hiddenSize, int depth, int numHeads) {
            this.hiddenSize = hiddenSize;
            this.depth = depth;
            this.numHeads = numHeads;
        }
    }

    /** The named models, {@code SiT-S/2} ... {@code SiT-XL/8}. */
    public static List<String> modelNames() {
        List<String> names = new ArrayList<>();
        for (Size s : Size.values()) {
            for (int p : new int[] {2, 4, 8}) {
                names.add("SiT-" + s + "/" + p);
            }
        }
        return Collections.unmodifiableList(names);
    }

    public SitConfig {
        require(hiddenSize > 0, "hidden_size must be positive, got " + hiddenSize);
        require(depth > 0, "depth must be positive, got " + depth);
        require(numHeads > 0, "num_heads must be positive, got " + numHeads);
        require(patchSize > 0, "patch_size must be positive, got " + patchSize);
        require(inputSize > 0, "input_size must be positive, got " + inputSize);
        require(inChannels > 0, "in_channels must be positive, got " + inChannels);
        require(numClasses > 0, "num_classes must be positive, got " + numClasses);
        require(hiddenSize % numHeads == 0, "hidden_size " + hiddenSize + " is not divisible by num_heads "
                + numHeads + ": choose heads that divide the hidden size (e.g. " + divisorsHint(hiddenSize) + ")");
        require(inputSize % patchSize == 0, "input_size " + inputSize + " is not divisible by patch_size "
                + patchSize + ": the latent side must be a multiple of the patch (image_size = 8 * input_size)");
        require(hiddenSize % 4 == 0, "hidden_size " + hiddenSize
                + " must be divisible by 4 (the 2-D sin-cos position embedding splits it in four)");
        require(mlpRatio > 0 && Double.isFinite(mlpRatio), "mlp_ratio must be positive, got " + mlpRatio);
        require((int) (hiddenSize * mlpRatio) > 0, "mlp_ratio " + mlpRatio + " gives an empty MLP");
        require(classDropoutProb >= 0 && classDropoutProb < 1,
                "class_dropout_prob must be in [0, 1), got " + classDropoutProb);
    }

    /**
     * A named model: {@code SiT-S/2}, {@code SiT-B/4}, ... {@code SiT-XL/8} (case-insensitive), with
     * the reference's MLP ratio 4 and label dropout 0.1.
     */
    public static SitConfig named(String name, int inputSize, int inChannels, int numClasses, boolean learnSigma) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (!n.startsWith("SIT-") || n.indexOf('/') < 0) {
            throw new IllegalArgumentException("unknown model '" + name + "': expected one of " + modelNames());
        }
        String size = n.substring(4, n.indexOf('/'));
        String patch = n.substring(n.indexOf('/') + 1);
        Size s;
        try {
            s = Size.valueOf(size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model '" + name + "': expected one of " + modelNames());
        }
        if (!patch.equals("2") && !patch.equals("4") && !patch.equals("8")) {
            throw new IllegalArgumentException("unknown model '" + name + "': patch must be 2, 4 or 8; expected one of "
                    + modelNames());
        }
        return new SitConfig(s.hiddenSize, s.depth, s.numHeads, Integer.parseInt(patch), inputSize, inChannels,
                numClasses, learnSigma, DEFAULT_MLP_RATIO, DEFAULT_CLASS_DROPOUT);
    }

    /** The architecture an experiment's {@code model:} section describes (its {@code ckpt} is not part of it). */
    public static SitConfig from(dev.sit.core.config.ModelSection m) {
        if (m.size() != null) {
            SitConfig n = named(m.size(), m.inputSize(), m.inChannels(), m.numClasses(), m.learnSigma());
            return new SitConfig(n.hiddenSize(), n.depth(), n.numHeads(), n.patchSize(), m.inputSize(), m.inChannels(),
                    m.numClasses(), m.learnSigma(), m.mlpRatio(), m.classDropoutProb());
        }
        return new SitConfig(m.hiddenSize(), m.depth(), m.numHeads(), m.patchSize(), m.inputSize(), m.inChannels(),
                m.numClasses(), m.learnSigma(), m.mlpRatio(), m.classDropoutProb());
    }

    /** Tokens per side, input_size / patch_size. */
    public int gridSize() {
        return inputSize / patchSize;
    }

    /** Number of tokens T. */
    public int numPatches() {
        return gridSize() * gridSize();
    }

    /** Channels the final layer produces: 2C with learn_sigma, else C. */
    public int outChannels() {
        return learnSigma ? 2 * inChannels : inChannels;
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** MLP hidden width, {@code int(hidden_size * mlp_ratio)} as timm computes it. */
    public int mlpHidden() {
        return (int) (hiddenSize * mlpRatio);
    }

    /** Whether the label table has the extra null row (the reference adds it when dropout > 0). */
    public boolean hasNullClass() {
        return classDropoutProb > 0;
    }

    /** Rows of the label table. */
    public int labelTableRows() {
        return numClasses + (hasNullClass() ? 1 : 0);
    }

    /** The null (unconditional) label, {@code num_classes}. */
    public int nullClass() {
        return numClasses;
    }

    /** Every tensor of the reference state dict, in the reference's order. */
    public List<ParameterSpec> parameters() {
        long d = hiddenSize;
        List<ParameterSpec> ps = new ArrayList<>();
        ps.add(new ParameterSpec("pos_embed", new long[] {1, numPatches(), d}, Kind.POSITION_EMBEDDING, Init.SINCOS));
        ps.add(new ParameterSpec("x_embedder.proj.weight", new long[] {d, inChannels, patchSize, patchSize},
                Kind.PATCH_WEIGHT, Init.XAVIER_UNIFORM));
        ps.add(bias("x_embedder.proj.bias", d));
        ps.add(new ParameterSpec("t_embedder.mlp.0.weight", new long[] {d, TimestepEmbedding.FREQUENCY_SIZE},
                Kind.LINEAR_WEIGHT, Init.NORMAL_002));
        ps.add(bias("t_embedder.mlp.0.bias", d));
        ps.add(new ParameterSpec("t_embedder.mlp.2.weight", new long[] {d, d}, Kind.LINEAR_WEIGHT, Init.NORMAL_002));
        ps.add(bias("t_embedder.mlp.2.bias", d));
        ps.add(new ParameterSpec("y_embedder.embedding_table.weight", new long[] {labelTableRows(), d}, Kind.EMBEDDING,
                Init.NORMAL_002));
        long mlp = mlpHidden();
        for (int i = 0; i < depth; i++) {
            String b = "blocks." + i + ".";
            ps.add(linear(b + "attn.qkv.weight", 3 * d, d, Init.XAVIER_UNIFORM));
            ps.add(bias(b + "attn.qkv.bias", 3 * d));
            ps.add(linear(b + "attn.proj.weight", d, d, Init.XAVIER_UNIFORM));
            ps.add(bias(b + "attn.proj.bias", d));
            ps.add(linear(b + "mlp.fc1.weight", mlp, d, Init.XAVIER_UNIFORM));
            ps.add(bias(b + "mlp.fc1.bias", mlp));
            ps.add(linear(b + "mlp.fc2.weight", d, mlp, Init.XAVIER_UNIFORM));
            ps.add(bias(b + "mlp.fc2.bias", d));
            ps.add(linear(b + "adaLN_modulation.1.weight", 6 * d, d, Init.ZERO));
            ps.add(bias(b + "adaLN_modulation.1.bias", 6 * d));
        }
        long out = (long) patchSize * patchSize * outChannels();
        ps.add(linear("final_layer.linear.weight", out, d, Init.ZERO));
        ps.add(bias("final_layer.linear.bias", out));
        ps.add(linear("final_layer.adaLN_modulation.1.weight", 2 * d, d, Init.ZERO));
        ps.add(bias("final_layer.adaLN_modulation.1.bias", 2 * d));
        return ps;
    }

    /** The reference's {@code state_dict} keys and shapes, in the reference's order. */
    public Map<String, long[]> stateDictShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (ParameterSpec p : parameters()) {
            m.put(p.key(), p.shape());
        }
        return m;
    }

    /**
     * Number of parameters as the reference counts them ({@code sum(p.numel() for p in
     * model.parameters())}, which includes the fixed {@code pos_embed}), from the shapes alone.
     */
    public long parameterCount() {
        long n = 0;
        for (ParameterSpec p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    /** Number of trained parameters (everything but {@code pos_embed}). */
    public long trainableParameterCount() {
        return parameterCount() - (long) numPatches() * hiddenSize;
    }

    private static ParameterSpec linear(String key, long out, long in, Init init) {
        return new ParameterSpec(key, new long[] {out, in}, Kind.LINEAR_WEIGHT, init);
    }

    private static ParameterSpec bias(String key, long n) {
        return new ParameterSpec(key, new long[] {n}, Kind.BIAS, Init.ZERO);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid SiT model configuration: " + message);
        }
    }

    private static String divisorsHint(int d) {
        List<Integer> ds = new ArrayList<>();
        for (int h = 1; h <= Math.min(d, 32); h++) {
            if (d % h == 0) {
                ds.add(h);
            }
        }
        return ds.toString();
    }
}
