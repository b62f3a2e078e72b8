package dev.sit.spark;

import dev.sit.api.data.Dataset;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.ClusterLatentExtraction;
import dev.sit.core.vae.PretrainedVae;
import dev.sit.core.vae.VaeConfig;
import dev.sit.core.vae.VaeWeights;
import java.nio.file.Path;

/** A VAE and the images it encodes, loaded once per executor core for a latent extraction ({@link #LOADED}). */
record VaeEncoder(AutoencoderKl vae, Dataset images) {

    static final ExecutorPool<ClusterLatentExtraction.Request, VaeEncoder> LOADED = new ExecutorPool<>(VaeEncoder::load);

    private static VaeEncoder load(ClusterLatentExtraction.Request request) throws Exception {
        VaeConfig config = request.vaeConfig() == null ? null : VaeConfig.fromDiffusersConfig(Path.of(request.vaeConfig()));
        AutoencoderKl vae = new AutoencoderKl(VaeWeights.forSpec(request.vaeSpec(), config,
                PretrainedVae.defaultEnvironment()));
        return new VaeEncoder(vae, request.images().open());
    }
}
