package dev.sit.core.config;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/**
 * The network: a named size ({@code SiT-S/2} ... {@code SiT-XL/8}) or a custom one (all of
 * hidden_size, depth, num_heads, patch_size), plus input and label settings.
 */
public record ModelSection(
        @Doc("named size SiT-{S,B,L,XL}/{2,4,8}; leave out for a custom size") String size,
        @Doc("custom: hidden size D") @Range(min = 1) Integer hiddenSize,
        @Doc("custom: number of blocks") @Range(min = 1) Integer depth,
        @Doc("custom: attention heads (must divide hidden_size)") @Range(min = 1) Integer numHeads,
        @Doc("custom: patch size") @Range(min = 1) Integer patchSize,
        @Doc("MLP hidden size / hidden size") @Range(min = 0, minExclusive = true) Double mlpRatio,
        @Doc("input height and width (latent size with a VAE: image size / 8)") @Range(min = 1) Integer inputSize,
        @Doc("input channels (4 for SD-VAE latents, 3 for RGB pixels, 1 for gray)") @Range(min = 1) Integer inChannels,
        @Doc("number of classes (labels 0..num_classes-1; one extra null label for guidance)") @Range(min = 1) Integer numClasses,
        @Doc("also predict a variance (doubles output channels; the released XL/2 has it)") Boolean learnSigma,
        @Doc("probability of dropping a label in training (classifier-free guidance)") @Range(min = 0, max = 1, maxExclusive = true) Double classDropoutProb,
        @Doc("initial weights: .pt (reference) or .safetensors") String ckpt) {

    public static final String SIZE_PATTERN = "SiT-(S|B|L|XL)/(2|4|8)";

    public ModelSection {
        boolean custom = hiddenSize != null || depth != null || numHeads != null || patchSize != null;
        if (size == null && !custom) {
            size = "SiT-XL/2";
        }
        if (size != null && custom) {
            throw new IllegalArgumentException("give either size: (e.g. SiT-S/2) or the custom hidden_size/depth/num_heads/patch_size, not both");
        }
        if (size != null && !size.matches(SIZE_PATTERN)) {
            throw new IllegalArgumentException("size '" + size + "' is not a SiT size; expected SiT-S/2, SiT-B/4, SiT-L/8, SiT-XL/2 ... (S, B, L or XL; patch 2, 4 or 8)");
        }
        if (custom && (hiddenSize == null || depth == null || numHeads == null || patchSize == null)) {
            throw new IllegalArgumentException("a custom size needs all of hidden_size, depth, num_heads and patch_size");
        }
        if (custom && hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " must be divisible by num_heads " + numHeads);
        }
        mlpRatio = mlpRatio == null ? dev.sit.core.model.SitConfig.DEFAULT_MLP_RATIO : mlpRatio;
        inputSize = inputSize == null ? 32 : inputSize;
        inChannels = inChannels == null ? 4 : inChannels;
        numClasses = numClasses == null ? 1000 : numClasses;
        learnSigma = learnSigma == null ? Boolean.TRUE : learnSigma;
        classDropoutProb = classDropoutProb == null ? dev.sit.core.model.SitConfig.DEFAULT_CLASS_DROPOUT : classDropoutProb;
        int patch = patchSize != null ? patchSize : size == null ? 1 : Integer.parseInt(size.substring(size.indexOf('/') + 1));
        if (inputSize % patch != 0) {
            throw new IllegalArgumentException("input_size " + inputSize + " must be divisible by the patch size " + patch);
        }
    }
}
