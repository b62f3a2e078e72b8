package dev.sit.api.data;

import java.nio.file.Path;

/**
 * What a dataset needs from the run: the folder relative paths are resolved against, the image
 * size the model expects (pixels, before any VAE; 0 = not known), the run's seed, and the
 * number of threads that may decode data ({@code data.num_workers}; 0 = the source's default).
 */
public record DatasetContext(Path baseDir, int imageSize, long seed, int workers) {

    /** A context without a worker count (sources use their default). */
    public DatasetContext(Path baseDir, int imageSize, long seed) {
        this(baseDir, imageSize, seed, 0);
    }
}
