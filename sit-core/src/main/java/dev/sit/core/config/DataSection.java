package dev.sit.core.config;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** Training data: a dataset source and whether images go through the SD VAE first. */
public record DataSection(
        @Doc("dataset source: shapes, fashion-mnist, image-folder, latents or a plugin's") PluginChoice source,
        @Doc("VAE for pixel data: none (train in pixel space), ema, mse, or a path") String vae,
        @Doc("threads that decode and prepare batches") @Range(min = 1) Integer numWorkers) {

    public DataSection {
        vae = vae == null ? "none" : vae;
        numWorkers = numWorkers == null ? 2 : numWorkers;
    }
}
