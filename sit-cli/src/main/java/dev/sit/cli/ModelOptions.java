package dev.sit.cli;

import dev.sit.core.io.InvalidInputException;
import dev.sit.core.io.StateDictFit;
import dev.sit.core.io.TensorSource;
import dev.sit.core.io.WeightsFile;
import dev.sit.core.model.ExpectedStateDict;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Option;

/**
 * The model flags shared by {@code sit forward}, {@code sit bench} and {@code sit sample}: a named size
 * ({@code --model SiT-XL/2}) or a custom one ({@code --hidden-size --depth --num-heads --patch-size}),
 * input and label settings, and {@code --ckpt}. Flags left out take the value of a base configuration
 * (an experiment's {@code model:} section, see {@link #config(SitConfig)}) or the reference defaults.
 */
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "NAME", description = "named size: SiT-S/2, SiT-B/4, ... SiT-XL/8 "
            + "(default SiT-XL/2, for sit bench SiT-S/2, unless a custom size is given)")
    String model;

    @Option(names = "--hidden-size", paramLabel = "D", description = "custom size: token width")
    Integer hiddenSize;

    @Option(names = "--depth", paramLabel = "N", description = "custom size: number of blocks")
    Integer depth;

    @Option(names = "--num-heads", paramLabel = "H", description = "custom size: attention heads (must divide the hidden size)")
    Integer numHeads;

    @Option(names = "--patch-size", paramLabel = "P", description = "custom size: patch size")
    Integer patchSize;

    @Option(names = "--input-size", paramLabel = "N", description = "latent height and width (image size / 8; default 32)")
    Integer inputSize;

    @Option(names = "--in-channels", paramLabel = "C", description = "input channels (default 4)")
    Integer inChannels;

    @Option(names = "--num-classes", paramLabel = "K", description = "class labels; K is the null label (default 1000)")
    Integer numClasses;

    @Option(names = "--learn-sigma", paramLabel = "true|false", arity = "1",
            description = "the network also predicts sigma channels (default true, as the released checkpoints)")
    Boolean learnSigma;

    @Option(names = "--mlp-ratio", paramLabel = "R", description = "MLP width / hidden size (default 4)")
    Double mlpRatio;

    @Option(names = "--class-dropout-prob", paramLabel = "P", hidden = true,
            description = "label dropout in training (default 0.1); 0 means no null label row")
    Double classDropoutProb;

    @Option(names = "--ckpt", paramLabel = "FILE", description = "weights: reference .pt (its ema entry for a "
            + "training checkpoint) or .safetensors with the reference's key names")
    Path ckpt;

    /** The architecture from the flags alone. */
    public SitConfig config() {
        return config(null);
    }

    /**
     * The architecture: flags given on the command line override {@code base} (e.g. from
     * {@code SitConfig.from(experiment.model())}); flags left out take base's values, or the reference
     * defaults when base is null.
     */
    public SitConfig config(SitConfig base) {
        boolean custom = hiddenSize != null || depth != null || numHeads != null || patchSize != null;
        if (model != null && custom) {
            throw new InvalidInputException("give either --model or the custom --hidden-size/--depth/--num-heads/"
                    + "--patch-size, not both");
        }
        int input = pick(inputSize, base == null ? null : base.inputSize(), 32);
        int channels = pick(inChannels, base == null ? null : base.inChannels(), 4);
        int classes = pick(numClasses, base == null ? null : base.numClasses(), 1000);
        boolean sigma = learnSigma != null ? learnSigma : base == null || base.learnSigma();
        double ratio = mlpRatio != null ? mlpRatio : base == null ? SitConfig.DEFAULT_MLP_RATIO : base.mlpRatio();
        double dropout = classDropoutProb != null ? classDropoutProb
                : base == null ? SitConfig.DEFAULT_CLASS_DROPOUT : base.classDropoutProb();
        SitConfig arch;
        if (model != null) {
            arch = SitConfig.named(model, input, channels, classes, sigma);
        } else if (custom) {
            List<String> missing = new ArrayList<>();
            if (base == null) {
                addIfNull(missing, hiddenSize, "--hidden-size");
                addIfNull(missing, depth, "--depth");
                addIfNull(missing, numHeads, "--num-heads");
                addIfNull(missing, patchSize, "--patch-size");
            }
            if (!missing.isEmpty()) {
                throw new InvalidInputException("a custom model size needs all of --hidden-size, --depth, --num-heads "
                        + "and --patch-size; missing " + String.join(", ", missing));
            }
            arch = new SitConfig(pick(hiddenSize, base == null ? null : base.hiddenSize(), 0),
                    pick(depth, base == null ? null : base.depth(), 0), pick(numHeads, base == null ? null : base.numHeads(), 0),
                    pick(patchSize, base == null ? null : base.patchSize(), 0), input, channels, classes, sigma, ratio, dropout);
        } else if (base != null) {
            arch = base;
        } else {
            arch = SitConfig.named("SiT-XL/2", input, channels, classes, sigma);
        }
        return new SitConfig(arch.hiddenSize(), arch.depth(), arch.numHeads(), arch.patchSize(), input, channels, classes,
                sigma, ratio, dropout);
    }

    /** The {@code --ckpt} file, or null. */
    public Path checkpoint() {
        return ckpt;
    }

    /** The weights of {@code --ckpt} in the reference layout (for a training checkpoint, its ema entry). */
    public Map<String, INDArray> checkpointWeights() throws IOException {
        return readWeights(ckpt);
    }

    /** Reads reference-layout weights from a .pt (ema for training checkpoints), .safetensors or checkpoint folder. */
    public static Map<String, INDArray> readWeights(Path file) throws IOException {
        return readWeights(file, null);
    }

    /** As {@link #readWeights(Path)}; a .pt must fit {@code fit} before any tensor is unpacked (null: no check). */
    public static Map<String, INDArray> readWeights(Path file, StateDictFit fit) throws IOException {
        if (file == null) {
            throw new InvalidInputException("no checkpoint given (--ckpt FILE)");
        }
        return WeightsFile.forSampling(file, fit);
    }

    /** The model with {@code --ckpt}'s weights, or with the seeded reference initialisation when none is given. */
    public SitModel buildModel(SitConfig config, long seed) throws IOException {
        if (ckpt == null) {
            return SitModel.initialised(config, seed);
        }
        // one tensor at a time from the file into the graph: no second full copy of the weights
        try (TensorSource tensors = WeightsFile.openForSampling(ckpt, new ExpectedStateDict(config))) {
            return SitModel.withWeights(config, tensors, ckpt.toString(), org.nd4j.linalg.api.buffer.DataType.FLOAT);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static int pick(Integer flag, Integer base, int fallback) {
        return flag != null ? flag : base != null ? base : fallback;
    }

    private static void addIfNull(List<String> missing, Integer v, String name) {
        if (v == null) {
            missing.add(name);
        }
    }
}
