package dev.sit.core.vae;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SD VAEs SiT uses, by short name ({@code --vae ema|mse}), and where sit expects them on disk: the diffusers
 * folder {@code <root>/sd-vae-ft-ema/} with {@code config.json} and {@code diffusion_pytorch_model.safetensors}
 * (or {@code .bin}), where {@code <root>} is {@code $SIT_VAE_DIR} or {@code ~/.cache/sit/vae}. sit downloads
 * nothing: when the folder is missing the error says which files to fetch from where.
 */
public enum PretrainedVae {
    /** Decoder fine-tuned with an EMA of the weights (SiT's training latents). */
    EMA("ema", "stabilityai/sd-vae-ft-ema"),
    /** Decoder fine-tuned with more MSE weight (SiT's default for sampling). */
    MSE("mse", "stabilityai/sd-vae-ft-mse");

    /** Environment variable naming the folder that holds the named VAEs. */
    public static final String ROOT_ENV = "SIT_VAE_DIR";
    /** Weight files a diffusers folder may hold, in order of preference. */
    public static final String[] WEIGHT_FILES = {"diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.bin"};

    private final String shortName;
    private final String huggingFaceRepo;

    PretrainedVae(String shortName, String huggingFaceRepo) {
        this.shortName = shortName;
        this.huggingFaceRepo = huggingFaceRepo;
    }

    public String shortName() {
        return shortName;
    }

    /** The Hugging Face repository, e.g. {@code stabilityai/sd-vae-ft-ema}. */
    public String huggingFaceRepo() {
        return huggingFaceRepo;
    }

    /** The folder name under the root: the repository's name, e.g. {@code sd-vae-ft-ema}. */
    public String folderName() {
        return huggingFaceRepo.substring(huggingFaceRepo.indexOf('/') + 1);
    }

    /** {@code ema}/{@code mse} (any case), or empty for anything else (a path). */
    public static Optional<PretrainedVae> byName(String name) {
        for (PretrainedVae v : values()) {
            if (v.shortName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** System property with the same meaning as {@link #ROOT_ENV} (it wins over the variable). */
    public static final String ROOT_PROPERTY = "sit.vae.dir";

    /** The process environment, with {@code -Dsit.vae.dir} as {@code SIT_VAE_DIR} when set. */
    public static Map<String, String> defaultEnvironment() {
        String prop = System.getProperty(ROOT_PROPERTY);
        if (prop == null || prop.isBlank()) {
            return System.getenv();
        }
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put(ROOT_ENV, prop);
        return env;
    }

    /** {@code $SIT_VAE_DIR} or {@code ~/.cache/sit/vae}. */
    public static Path root(Map<String, String> env) {
        String dir = env.get(ROOT_ENV);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "sit", "vae");
    }

    /** Where this VAE's diffusers folder is expected. */
    public Path folder(Map<String, String> env) {
        return root(env).resolve(folderName());
    }

    /**
     * The weights location for {@code --vae SPEC}: a short name gives its folder (which must hold the files), anything
     * else is a path that must exist.
     *
     * @throws VaeNotFoundException saying which files to put where and how to get them
     */
    public static Path resolve(String spec, Map<String, String> env) {
        Optional<PretrainedVae> named = byName(spec);
        if (named.isPresent()) {
            PretrainedVae v = named.get();
            Path folder = v.folder(env);
            boolean hasWeights = false;
            for (String f : WEIGHT_FILES) {
                hasWeights |= Files.isRegularFile(folder.resolve(f));
            }
            if (Files.isRegularFile(folder.resolve("config.json")) && hasWeights) {
                return folder;
            }
            throw new VaeNotFoundException(v.missingMessage(folder));
        }
        Path p = Path.of(spec);
        if (!Files.exists(p)) {
            throw new VaeNotFoundException("--vae " + spec + ": no such file or folder. Give a diffusers folder"
                    + " (config.json + diffusion_pytorch_model.safetensors), a .safetensors/.bin file, a CompVis"
                    + " .pt/.ckpt, or one of the names 'ema', 'mse' (" + EMA.huggingFaceRepo + ", " + MSE.huggingFaceRepo
                    + ").");
        }
        return p;
    }

    /** What to do when the folder is missing or incomplete. */
    String missingMessage(Path folder) {
        String base = "https://huggingface.co/" + huggingFaceRepo + "/resolve/main/";
        return "The VAE '" + shortName + "' (" + huggingFaceRepo + ") is not on this machine.\n"
                + "sit looked for it in " + folder + "/ (set " + ROOT_ENV + " to use another root than "
                + folder.getParent() + "), which must contain:\n"
                + "  config.json\n"
                + "  diffusion_pytorch_model.safetensors   (about 335 MB; diffusion_pytorch_model.bin also works)\n"
                + "sit does not download weights. On a machine with internet access run:\n"
                + "  mkdir -p " + folderName() + "\n"
                + "  curl -L -o " + folderName() + "/config.json " + base + "config.json\n"
                + "  curl -L -o " + folderName() + "/diffusion_pytorch_model.safetensors " + base
                + "diffusion_pytorch_model.safetensors\n"
                + "(or: huggingface-cli download " + huggingFaceRepo
                + " config.json diffusion_pytorch_model.safetensors --local-dir " + folderName() + ")\n"
                + "then copy the folder to " + folder + "/ here, or pass its path with --vae /path/to/" + folderName();
    }
}
