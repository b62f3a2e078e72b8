package dev.sit.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the configuration setting that most likely explains why a checkpoint tensor does not fit:
 * {@code learn_sigma} (final layer outputs), {@code num_classes} (label table rows),
 * {@code image_size}/{@code input_size} (position-embedding tokens), the patch size (patch kernel),
 * {@code in_channels}, {@code hidden_size} (the model size) and {@code depth} (block keys).
 */
final class MismatchHint {

    private static final Pattern BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.");

    private MismatchHint() {
    }

    /** The likely cause of a shape mismatch of one key. */
    static String forShape(SitConfig c, ParameterSpec spec, long[] actual) {
        long[] e = spec.shape();
        String key = spec.key();
        if (actual.length != e.length) {
            return "the tensor has rank " + actual.length + " instead of " + e.length
                    + ": the file is not a SiT state dict of this layout";
        }
        long d = c.hiddenSize();
        switch (key) {
            case "pos_embed" -> {
                if (actual[2] != d) {
                    return hiddenSize(c, actual[2]);
                }
                long grid = Math.round(Math.sqrt(actual[1]));
                return "image_size / input_size: the checkpoint has " + actual[1] + " tokens (a " + grid + "x" + grid
                        + " grid, i.e. input_size " + grid * c.patchSize() + " = image_size " + grid * c.patchSize() * 8
                        + " with patch " + c.patchSize() + "), this model has " + e[1] + " (input_size "
                        + c.inputSize() + ", image_size " + c.inputSize() * 8 + "); set image_size to match the "
                        + "checkpoint (or check the patch size)";
            }
            case "x_embedder.proj.weight" -> {
                if (actual[2] != e[2] || actual[3] != e[3]) {
                    return "patch size: the checkpoint's patch kernel is " + actual[2] + "x" + actual[3]
                            + " (a SiT-*/" + actual[2] + " model), this model uses patch " + c.patchSize();
                }
                if (actual[1] != e[1]) {
                    return "in_channels: the checkpoint takes " + actual[1] + " input channels, this model "
                            + c.inChannels();
                }
                return hiddenSize(c, actual[0]);
            }
            case "y_embedder.embedding_table.weight" -> {
                if (actual[1] != d) {
                    return hiddenSize(c, actual[1]);
                }
                return "num_classes: the checkpoint's label table has " + actual[0] + " rows (num_classes "
                        + (actual[0] - 1) + " plus the null label), this model has " + e[0] + " (num_classes "
                        + c.numClasses() + (c.hasNullClass() ? " plus the null label" : ", no null label") + ")";
            }
            default -> {
            }
        }
        if (key.startsWith("final_layer.linear.")) {
            long got = actual[0];
            long want = e[0];
            if (got == 2 * want) {
                return "learn_sigma: the checkpoint predicts " + got / ((long) c.patchSize() * c.patchSize())
                        + " output channels (learn_sigma: true), this model " + c.outChannels()
                        + " (learn_sigma: false); set learn_sigma: true";
            }
            if (2 * got == want) {
                return "learn_sigma: the checkpoint predicts " + got / ((long) c.patchSize() * c.patchSize())
                        + " output channels (learn_sigma: false), this model " + c.outChannels()
                        + " (learn_sigma: true); set learn_sigma: false";
            }
            if (actual.length == 2 && actual[1] != d) {
                return hiddenSize(c, actual[1]);
            }
            return "patch size or in_channels: the final layer has " + got + " = patch^2 x out_channels outputs, "
                    + "this model " + want + " (patch " + c.patchSize() + ", out_channels " + c.outChannels() + ")";
        }
        if (key.contains(".mlp.fc") && Arrays.stream(actual).anyMatch(a -> a != d) && hasDim(actual, d)) {
            return "mlp_ratio: the checkpoint's MLP width differs (this model uses " + c.mlpHidden() + ")";
        }
        return hiddenSize(c, guessHidden(actual, key));
    }

    /** The likely cause of missing or unexpected keys. */
    static String forKeys(SitConfig c, List<String> missing, List<String> unexpected) {
        Set<Integer> extraBlocks = blockIndices(unexpected);
        Set<Integer> missingBlocks = blockIndices(missing);
        if (!extraBlocks.isEmpty() && missingBlocks.isEmpty()) {
            return "depth: the checkpoint has blocks up to " + ((TreeSet<Integer>) extraBlocks).last()
                    + " (depth " + (((TreeSet<Integer>) extraBlocks).last() + 1) + "), this model has depth " + c.depth();
        }
        if (!missingBlocks.isEmpty() && extraBlocks.isEmpty() && missing.stream().allMatch(k -> k.startsWith("blocks."))) {
            return "depth: the checkpoint has only " + ((TreeSet<Integer>) missingBlocks).first()
                    + " blocks, this model has depth " + c.depth();
        }
        if (unexpected.stream().anyMatch(k -> k.startsWith("model.") || k.startsWith("ema.") || k.startsWith("module."))) {
            return "the keys carry a prefix (model./ema./module.): pass the state dict itself (for a training "
                    + "checkpoint, its 'ema' entry)";
        }
        return "the file is not a state dict of the SiT reference model with this architecture";
    }

    private static Set<Integer> blockIndices(List<String> keys) {
        Set<Integer> s = new TreeSet<>();
        for (String k : keys) {
            Matcher m = BLOCK.matcher(k);
            if (m.find()) {
                s.add(Integer.parseInt(m.group(1)));
            }
        }
        return s;
    }

    private static boolean hasDim(long[] shape, long d) {
        return Arrays.stream(shape).anyMatch(a -> a == d);
    }

    private static long guessHidden(long[] actual, String key) {
        return key.endsWith(".weight") && actual.length == 2 ? actual[actual.length - 1] : actual[0];
    }

    private static String hiddenSize(SitConfig c, long got) {
        return "model size (hidden_size): the checkpoint's width is " + got + ", this model's " + c.hiddenSize()
                + " (S=384, B=768, L=1024, XL=1152)";
    }
}
