package dev.sit.api.data;

import java.nio.file.Path;

/**
 * What a dataset needs from the run: the folder relative paths are resolved against, the image
 * size the model expects (pixels, before any VAE), and the run's seed.
 */
public record DatasetContext(Path baseDir, int imageSize, long seed) {
}
