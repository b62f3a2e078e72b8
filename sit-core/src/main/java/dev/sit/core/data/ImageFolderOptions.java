package dev.sit.core.data;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/**
 * Options of the {@code image-folder} dataset (YAML keys {@code root}, {@code image_size},
 * {@code random_flip}, {@code workers}, {@code prefetch_batches}, {@code max_bad_fraction}).
 */
public record ImageFolderOptions(
        @Doc("folder with one sub-folder per class (ImageNet train layout: root/n01440764/xxx.JPEG); relative to the experiment file")
        String root,
        @Doc("side of the square images after ADM's center crop; default: the run's image size")
        @Range(min = 8, max = 4096) Integer imageSize,
        @Doc("flip each example horizontally with probability 1/2 (seeded per step and example)")
        Boolean randomFlip,
        @Doc("decoding threads; default: data.num_workers, else min(4, CPU cores)")
        @Range(min = 1, max = 256) Integer workers,
        @Doc("batches decoded ahead of the training step")
        @Range(min = 0, max = 16) Integer prefetchBatches,
        @Doc("stop when more than this fraction of the files cannot be decoded (they are skipped with a warning until then)")
        @Range(min = 0, max = 1) Double maxBadFraction) {

    /** Defaults absent options, except {@code workers}: left null, the run's {@code data.num_workers} decides at open. */
    public ImageFolderOptions {
        if (randomFlip == null) {
            randomFlip = true;
        }
        if (prefetchBatches == null) {
            prefetchBatches = 2;
        }
        if (maxBadFraction == null) {
            maxBadFraction = 0.01;
        }
    }
}
