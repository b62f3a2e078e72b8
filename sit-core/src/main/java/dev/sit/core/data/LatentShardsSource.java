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
            throw new IllegalArgumentException("latents needs data.options.folder: the output folder of sit extract-latents");
        }
        Path base = context == null || context.baseDir() == null ? Path.of("") : context.baseDir();
        Path folder = base.resolve(options.folder()).toAbsolutePath().normalize();
        LatentManifest manifest = LatentManifest.read(folder);
        Object stored = manifest.metadata() == null ? null : manifest.metadata().get("image_size");
        if (context != null && context.imageSize() > 0 && stored instanceof Number n && n.intValue() != context.imageSize()) {
            throw new IllegalArgumentException("the latents in " + folder + " were extracted at image size " + n
                    + " but the run's image size is " + context.imageSize());
        }
        LatentShardDataset data = new LatentShardDataset(folder, manifest, !options.verify().equals("never"));
        if (options.verify().equals("open")) {
            data.verifyAll();
        }
        return data;
    }
}
