package dev.sit.core.data;

import dev.sit.api.Doc;
import java.util.Locale;
import java.util.Set;

/** Options of the {@code fashion-mnist} dataset (YAML keys {@code folder}, {@code split}, {@code fit}). */
public record FashionMnistOptions(
        @Doc("folder with train-images-idx3-ubyte(.gz) etc.; default /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)")
        String folder,
        @Doc("train (60000 images) or test (10000)")
        String split,
        @Doc("how 28x28 becomes the image size: pad (centred, background -1) or resize (Pillow bicubic)")
        String fit) {

    public static final String DEFAULT_FOLDER = "/usr/share/datasets/fashion-mnist";

    public FashionMnistOptions {
        if (folder == null || folder.isBlank()) {
            folder = DEFAULT_FOLDER;
        }
        split = split == null ? "train" : split.toLowerCase(Locale.ROOT);
        fit = fit == null ? "pad" : fit.toLowerCase(Locale.ROOT);
        if (!Set.of("train", "test").contains(split)) {
            throw new IllegalArgumentException("fashion-mnist split must be train or test, got '" + split + "'");
        }
        if (!Set.of("pad", "resize").contains(fit)) {
            throw new IllegalArgumentException("fashion-mnist fit must be pad or resize, got '" + fit + "'");
        }
    }
}
