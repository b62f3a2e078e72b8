package dev.sit.core.vae;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.Overrides;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.data.ImageFolderOptions;
import dev.sit.core.data.ImageFolderSource;
import dev.sit.core.plugin.PluginPath;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * The images a latent extraction encodes, as a recipe any process can open again: an image folder (its absolute root)
 * or an experiment's {@code data.source} (the resolved experiment's YAML and the plugin jars it needs). Both sides of a
 * cluster extraction open the same dataset from it, so image {@code i} is the same image everywhere.
 *
 * @param imageFolderRoot the image folder's root, or null for an experiment's source
 * @param prefetchBatches the image folder's batches decoded ahead (null: its default)
 * @param maxBadFraction  the image folder's tolerated fraction of undecodable files (null: its default)
 * @param experimentYaml  the resolved experiment ({@link ExperimentTree#toYaml}), or null for an image folder
 * @param plugins         plugin jars the experiment needs (absolute paths)
 * @param workers         image decoding threads (null: the source's default)
 */
public record ExtractionImages(String imageFolderRoot, Integer prefetchBatches, Double maxBadFraction,
                               String experimentYaml, List<String> plugins, int imageSize,
                               long seed, Integer workers) implements Serializable {

    /** An image folder (one sub-folder per class) read without random flips. */
    public static ExtractionImages imageFolder(Path root, int imageSize, long seed, Integer workers) {
        return imageFolder(root, null, null, imageSize, seed, workers);
    }

    private static ExtractionImages imageFolder(Path root, Integer prefetchBatches, Double maxBadFraction, int imageSize,
            long seed, Integer workers) {
        return new ExtractionImages(root.toAbsolutePath().normalize().toString(), prefetchBatches, maxBadFraction, null,
                List.of(), imageSize, seed, workers);
    }

    /** The experiment's data source; an image folder there is read as {@link #imageFolder} reads one. */
    public static ExtractionImages experiment(ResolvedExperiment resolved, List<Path> plugins, int imageSize, long seed,
            Integer workers) {
        if (resolved.plugin("data.source", ExtensionPoint.DATASET_SOURCE).options() instanceof ImageFolderOptions o) {
            Integer wanted = o.imageSize();
            if (wanted != null && wanted != imageSize) {
                throw new IllegalArgumentException("data.options.image_size is " + wanted + " but the extraction's image"
                        + " size is " + imageSize + " (--image-size or model.input_size x downsampling); make them agree");
            }
            return imageFolder(Path.of(o.root()), o.prefetchBatches(), o.maxBadFraction(), imageSize, seed,
                    workers != null ? workers : o.workers());
        }
        if (resolved.experiment().data().source().name().equalsIgnoreCase("latents")) {
            throw new IllegalArgumentException("the experiment's data.source is latents already; extract from an image"
                    + " dataset (image-folder)");
        }
        return new ExtractionImages(null, null, null, ExperimentTree.toYaml(resolved),
                plugins.stream().map(p -> p.toAbsolutePath().toString()).toList(), imageSize, seed, workers);
    }

    /** Opens the dataset in this process, loading the experiment again from its YAML (on an executor). */
    public Dataset open() throws IOException {
        if (imageFolderRoot != null) {
            return openWith(null);
        }
        List<Path> jars = plugins.stream().map(Path::of).toList();
        return openWith(new ExperimentLoader(jars, System.getenv(PluginPath.ENVIRONMENT_VARIABLE))
                .load(Path.of("sit-extract-latents.yaml"), YamlDocument.parse("the resolved experiment of sit"
                        + " extract-latents", experimentYaml), Overrides.none()));
    }

    /** Opens the dataset with the experiment this recipe was made from, already loaded (null for an image folder). */
    public Dataset openWith(ResolvedExperiment resolved) throws IOException {
        DatasetSource source = imageFolderRoot != null
                ? new ImageFolderSource(new ImageFolderOptions(imageFolderRoot, imageSize, false, workers, prefetchBatches,
                        maxBadFraction))
                : resolved.plugin("data.source", ExtensionPoint.DATASET_SOURCE).create(resolved.pluginContext());
        return source.open(new DatasetContext(Path.of("").toAbsolutePath(), imageSize, seed, workers == null ? 0 : workers));
    }
}
