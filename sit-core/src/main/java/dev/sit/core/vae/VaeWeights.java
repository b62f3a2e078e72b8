package dev.sit.core.vae;

import dev.sit.core.random.SeededNativeRandom;
import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.io.TorchCheckpoint;
import dev.sit.core.io.TorchCheckpointReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The parameters of a KL autoencoder under the internal (CompVis) names, checked against a {@link VaeConfig}:
 * every tensor present, none extra, every shape right, float32.
 *
 * @param config  the architecture
 * @param tensors parameter name -> tensor, in {@link VaeConfig#parameterShapes()} order
 * @param notes   what loading ignored or converted (for the user's console)
 */
public record VaeWeights(VaeConfig config, Map<String, INDArray> tensors, List<String> notes) {

    private static final String FULL_SD_PREFIX = "first_stage_model.";

    public VaeWeights {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        notes = List.copyOf(notes);
    }

    /** The tensor of an internal parameter name. */
    public INDArray get(String name) {
        INDArray a = tensors.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no VAE parameter " + name);
        }
        return a;
    }

    /**
     * The weights that {@code --vae SPEC} or {@code data.vae: SPEC} names: {@code ema}/{@code mse} (looked for where
     * {@link PretrainedVae} says) or a path, loaded with {@link #load(Path, VaeConfig)}.
     *
     * @param config the architecture, or null for the folder's config.json or the SD default
     * @param env    the environment {@link PretrainedVae#root} reads ({@link PretrainedVae#defaultEnvironment()})
     * @throws VaeNotFoundException saying which files to put where when the weights are not on this machine
     */
    public static VaeWeights forSpec(String spec, VaeConfig config, Map<String, String> env) throws IOException {
        return load(PretrainedVae.resolve(spec, env), config);
    }

    /** {@link #load(Path, VaeConfig)} with the architecture from the folder's config.json or the SD default. */
    public static VaeWeights load(Path path) throws IOException {
        return load(path, null);
    }

    /**
     * Loads VAE weights from what users have:
     * <ul>
     *   <li>a diffusers folder: {@code config.json} + {@code diffusion_pytorch_model.safetensors} (or {@code .bin});
     *       a full pipeline folder with a {@code vae/} subfolder works too;</li>
     *   <li>a {@code .safetensors} file or a PyTorch {@code .bin/.pt/.pth/.ckpt} (diffusers or CompVis names, with or
     *       without {@code first_stage_model.}, possibly nested under {@code state_dict}).</li>
     * </ul>
     * The architecture is {@code config} if given, else the folder's {@code config.json} (also for a
     * {@code diffusion_pytorch_model.*} file with a {@code config.json} beside it), else {@link VaeConfig#stableDiffusion()}.
     *
     * @throws VaeWeightsMismatchException naming every missing, unexpected and wrongly shaped tensor
     * @throws IOException                 when a file is missing or unreadable
     */
    public static VaeWeights load(Path path, VaeConfig config) throws IOException {
        Path weightsFile;
        Path configFile = null;
        if (Files.isDirectory(path)) {
            Path dir = path;
            if (!Files.isRegularFile(dir.resolve("config.json")) && Files.isDirectory(dir.resolve("vae"))) {
                dir = dir.resolve("vae");   // a whole diffusers pipeline
            }
            weightsFile = null;
            for (String name : PretrainedVae.WEIGHT_FILES) {
                if (weightsFile == null && Files.isRegularFile(dir.resolve(name))) {
                    weightsFile = dir.resolve(name);
                }
            }
            if (weightsFile == null) {
                throw new IOException("the VAE folder " + dir + " has no " + String.join(" or ", PretrainedVae.WEIGHT_FILES)
                        + " (it holds: " + listing(dir) + "). A diffusers VAE folder holds config.json and"
                        + " diffusion_pytorch_model.safetensors.");
            }
            if (Files.isRegularFile(dir.resolve("config.json"))) {
                configFile = dir.resolve("config.json");
            }
        } else if (Files.isRegularFile(path)) {
            weightsFile = path;
            Path sibling = path.resolveSibling("config.json");
            if (path.getFileName().toString().startsWith("diffusion_pytorch_model.") && Files.isRegularFile(sibling)) {
                configFile = sibling;
            }
        } else {
            throw new IOException("no VAE weights at " + path + " (no such file or folder)");
        }
        VaeConfig cfg;
        String configSource;
        if (config != null) {
            cfg = config;
            configSource = "the given configuration";
        } else if (configFile != null) {
            cfg = VaeConfig.fromDiffusersConfig(configFile);
            configSource = configFile.toString();
        } else {
            cfg = VaeConfig.stableDiffusion();
            configSource = "the default Stable Diffusion VAE configuration";
        }
        VaeWeights w = fromStateDict(readStateDict(weightsFile), cfg, weightsFile.toString());
        List<String> notes = new ArrayList<>(w.notes());
        notes.add(0, "VAE weights " + weightsFile + " (architecture from " + configSource + ")");
        return new VaeWeights(w.config(), w.tensors(), notes);
    }

    /** The tensors of a safetensors file or a PyTorch checkpoint (by extension), names as stored. */
    static Map<String, INDArray> readStateDict(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            return SafetensorsFile.read(file);
        }
        if (name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".ckpt")) {
            TorchCheckpoint ckpt = TorchCheckpointReader.read(file);
            try {
                return TorchCheckpoint.stateDict(ckpt.root());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("unknown VAE weights format " + file + ": expected .safetensors, .bin, .pt, .pth or .ckpt"
                + " (or a diffusers folder)");
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(20).toList();
            return names.isEmpty() ? "nothing" : String.join(", ", names);
        }
    }

    /**
     * Checks and renames a state dict in any of the supported namings (see {@link VaeKeyNaming}). A full SD
     * checkpoint's {@code first_stage_model.} part is taken and the rest ignored; a {@code vae.} prefix is
     * stripped; LDM training keys {@code loss.*} and {@code model_ema.*} are ignored with a note. Attention
     * weights given as Linear {@code [C, C]} become 1x1 convolutions {@code [C, C, 1, 1]}; float16/bfloat16/
     * float64 tensors are converted to float32.
     *
     * @param source names the file in error messages
     * @throws VaeWeightsMismatchException naming every missing, unexpected and wrongly shaped tensor
     */
    public static VaeWeights fromStateDict(Map<String, INDArray> stateDict, VaeConfig config, String source) {
        List<String> notes = new ArrayList<>();
        Map<String, INDArray> sd = selectVaePart(stateDict, notes);
        Map<String, long[]> expected = config.parameterShapes();
        Map<String, INDArray> out = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        int converted = 0;
        int ignoredTraining = 0;
        for (Map.Entry<String, INDArray> e : sd.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("loss.") || key.startsWith("model_ema.")) {
                ignoredTraining++;
                continue;
            }
            String name = VaeKeyNaming.toInternal(key, config.levels());
            long[] shape = expected.get(name);
            if (shape == null) {
                unexpected.add(key);
                continue;
            }
            if (origin.containsKey(name)) {
                throw new IllegalArgumentException(source + ": keys " + origin.get(name) + " and " + key
                        + " both name the VAE parameter " + name + "; the checkpoint mixes two namings");
            }
            origin.put(name, key);
            INDArray a = e.getValue();
            if (a == null) {
                wrongShape.add(key + ": expected a tensor " + Arrays.toString(shape) + ", got no tensor");
                continue;
            }
            if (a.dataType() != DataType.FLOAT) {
                a = a.castTo(DataType.FLOAT);
                converted++;
            }
            if (!Arrays.equals(a.shape(), shape)) {
                boolean linearAttention = shape.length == 4 && shape[2] == 1 && shape[3] == 1 && a.rank() == 2
                        && a.size(0) == shape[0] && a.size(1) == shape[1];
                if (!linearAttention) {
                    wrongShape.add(key + (key.equals(name) ? "" : " (" + name + ")") + ": expected "
                            + Arrays.toString(shape) + ", got " + Arrays.toString(a.shape()));
                    continue;
                }
                a = a.reshape('c', shape);
            }
            out.put(name, a.isView() || a.ordering() != 'c' ? a.dup('c') : a);
        }
        List<String> missing = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (!origin.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            throw mismatch(source, config, missing, unexpected, wrongShape);
        }
        if (ignoredTraining > 0) {
            notes.add("ignored " + ignoredTraining + " LDM training tensors (loss.*, model_ema.*) in " + source);
        }
        if (converted > 0) {
            notes.add("converted " + converted + " tensors of " + source + " to float32");
        }
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            ordered.put(name, out.get(name));
        }
        return new VaeWeights(config, ordered, notes);
    }

    private static Map<String, INDArray> selectVaePart(Map<String, INDArray> stateDict, List<String> notes) {
        boolean fullSd = stateDict.keySet().stream().anyMatch(k -> k.startsWith(FULL_SD_PREFIX));
        if (fullSd) {
            Map<String, INDArray> vae = new LinkedHashMap<>();
            int other = 0;
            for (Map.Entry<String, INDArray> e : stateDict.entrySet()) {
                if (e.getKey().startsWith(FULL_SD_PREFIX)) {
                    vae.put(e.getKey().substring(FULL_SD_PREFIX.length()), e.getValue());
                } else {
                    other++;
                }
            }
            if (other > 0) {
                notes.add("took the " + vae.size() + " first_stage_model.* tensors of a full Stable Diffusion checkpoint"
                        + " and ignored its " + other + " other tensors");
            }
            return vae;
        }
        boolean allVae = !stateDict.isEmpty() && stateDict.keySet().stream().allMatch(k -> k.startsWith("vae."));
        if (allVae) {
            Map<String, INDArray> vae = new LinkedHashMap<>();
            stateDict.forEach((k, v) -> vae.put(k.substring("vae.".length()), v));
            return vae;
        }
        return stateDict;
    }

    private static VaeWeightsMismatchException mismatch(String source, VaeConfig config, List<String> missing,
                                                         List<String> unexpected, List<String> wrongShape) {
        StringBuilder m = new StringBuilder();
        m.append("the VAE weights in ").append(source).append(" do not fit the architecture (ch=").append(config.ch())
                .append(", ch_mult=").append(config.chMult()).append(", num_res_blocks=").append(config.numResBlocks())
                .append(", z_channels=").append(config.zChannels()).append(", embed_dim=").append(config.embedDim())
                .append(", mid-block attention=").append(config.midBlockAttention()).append("):");
        if (!missing.isEmpty()) {
            m.append("\n  ").append(missing.size()).append(" missing (CompVis names): ").append(String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            m.append("\n  ").append(unexpected.size()).append(" unexpected: ").append(String.join(", ", unexpected));
        }
        if (!wrongShape.isEmpty()) {
            m.append("\n  ").append(wrongShape.size()).append(" with the wrong shape: ")
                    .append(String.join("; ", wrongShape));
        }
        m.append("\nIf this is another VAE architecture, give its diffusers config.json with --vae-config;"
                + " the default is the Stable Diffusion VAE.");
        return new VaeWeightsMismatchException(m.toString(), missing, unexpected, wrongShape);
    }

    /**
     * Random weights (for timing and tests without a checkpoint): every tensor {@code N(0, std^2)}, GroupNorm
     * scales {@code 1 + N(0, std^2)} so that activations keep their size.
     */
    public static VaeWeights random(VaeConfig config, long seed, double std) {
        Map<String, INDArray> t = new LinkedHashMap<>();
        try (Random rng = SeededNativeRandom.of(seed)) {
            for (Map.Entry<String, long[]> e : config.parameterShapes().entrySet()) {
                INDArray a = Nd4j.randn(Nd4j.create(DataType.FLOAT, e.getValue()), rng).muli(std);
                if (isNormScale(e.getKey())) {
                    a.addi(1.0);
                }
                t.put(e.getKey(), a);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create random VAE weights: " + e.getMessage(), e);
        }
        return new VaeWeights(config, t, List.of("random weights (seed " + seed + ")"));
    }

    private static boolean isNormScale(String name) {
        return name.endsWith(".weight") && (name.contains(".norm1.") || name.contains(".norm2.")
                || name.contains(".norm_out.") || name.contains(".attn_1.norm."));
    }
}
