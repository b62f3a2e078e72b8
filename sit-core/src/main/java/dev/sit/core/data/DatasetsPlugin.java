package dev.sit.core.data;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.List;

/** The built-in dataset sources: {@code shapes}, {@code fashion-mnist}, {@code image-folder}, {@code latents}. */
public final class DatasetsPlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(
                PluginFactory.of(ExtensionPoint.DATASET_SOURCE, "shapes",
                        "synthetic coloured shapes, 10 classes, RGB, needs nothing installed",
                        ShapesOptions.class, ShapesSource::new),
                PluginFactory.of(ExtensionPoint.DATASET_SOURCE, "fashion-mnist",
                        "Fashion-MNIST IDX files (Debian dataset-fashion-mnist), 10 classes, gray, padded or resized",
                        FashionMnistOptions.class, FashionMnistSource::new).withAliases("fashion_mnist", "fashionmnist"),
                PluginFactory.of(ExtensionPoint.DATASET_SOURCE, "image-folder",
                        "root/<class>/<image> tree (ImageNet layout), ADM center crop, random flip, threaded decoding",
                        ImageFolderOptions.class, ImageFolderSource::new).withAliases("image_folder", "imagefolder"),
                PluginFactory.of(ExtensionPoint.DATASET_SOURCE, "latents",
                        "pre-extracted VAE latent shards written by sit extract-latents, checksum-verified",
                        LatentsOptions.class, LatentShardsSource::new));
    }
}
