package dev.sit.core.data;

import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;
import java.io.IOException;
import java.nio.file.Path;

/** The {@code latents} dataset source: pre-extracted VAE latents in shards ({@link LatentManifest}). */
public final class LatentShardsSource implements DatasetSource {

    private final LatentsOptions options;

    public LatentShardsSource(LatentsOptions options) {
        this.options = options;
    }

    @Override
    public Dataset open(DatasetContext context) throws IOException {
        if (options.folder() == null || options.folder().isBlank()) {
            throw new IllegalArgumentException("latents needs data.source.options.folder: the output folder of sit extract-latents");
        }
        Path base = context == null || context.baseDir() == null ? Path.of("") : context.baseDir();
        Path folder = base.resolve(options.folder()).toAbsolutePath().normalize();
        LatentManifest manifest = LatentManifest.read(folder);
        Object stored = manifest.metadata() == null ? null : manifest.metadata().get("image_size");
        // a run in latent space (data.vae: none) knows only the model's input side, which is the latent side
        long latentSide = manifest.latentShape()[1];
        if (context != null && context.imageSize() > 0 && stored instanceof Number n && n.intValue() != context.imageSize()
                && latentSide != context.imageSize()) {
            throw new IllegalArgumentException("the latents in " + folder + " were extracted at image size " + n
                    + " (latents " + latentSide + "x" + manifest.latentShape()[2] + ") but the run's image size is "
                    + context.imageSize());
        }
        LatentShardDataset data = new LatentShardDataset(folder, manifest, !options.verify().equals("never"));
        if (options.verify().equals("open")) {
            data.verifyAll();
        }
        return data;
    }
}
