package dev.sit.cli;

import dev.sit.core.vae.PretrainedVae;
import dev.sit.core.vae.VaeConfig;
import dev.sit.core.vae.VaeWeights;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --vae} and {@code --vae-config}: which VAE weights, and their architecture when a file alone does not say. */
public final class VaeSelection {

    @Option(names = "--vae", paramLabel = "ema|mse|PATH",
            description = "'ema' or 'mse' (stabilityai/sd-vae-ft-ema|-mse, looked for in $SIT_VAE_DIR or"
                    + " ~/.cache/sit/vae/sd-vae-ft-*/), a diffusers folder (config.json +"
                    + " diffusion_pytorch_model.safetensors|.bin), a .safetensors/.bin file or a CompVis .pt/.ckpt.")
    String vae;

    @Option(names = "--vae-config", paramLabel = "config.json",
            description = "diffusers config.json giving the architecture when the weights file alone does not"
                    + " (default: the folder's config.json, else the SD VAE).")
    Path vaeConfig;

    /** What --vae said, or {@code fallback} (e.g. an experiment's data.vae) when it was not given. */
    String specOr(String fallback) {
        return vae != null ? vae : fallback;
    }

    /**
     * The weights {@code spec} names, with the architecture of --vae-config if given.
     *
     * @throws dev.sit.core.vae.VaeNotFoundException saying which files to put where when they are not on this machine
     */
    VaeWeights load(String spec) throws IOException {
        VaeConfig config = vaeConfig == null ? null : VaeConfig.fromDiffusersConfig(vaeConfig);
        return VaeWeights.forSpec(spec, config, PretrainedVae.defaultEnvironment());
    }
}
