package dev.sit.core.config;

import dev.sit.api.Doc;
import dev.sit.api.Range;
import dev.sit.core.eval.EvalSettings;
import dev.sit.core.eval.InceptionScore;
import dev.sit.core.eval.PrecisionRecall;
import java.nio.file.Path;

/**
 * The evaluation stage: after sampling, {@code num_samples} images are generated and compared
 * with {@code reference} through {@code feature_extractor} (FID, sFID, Inception Score,
 * precision, recall, those the inputs allow); results go to every logger and to
 * {@code eval.json} in the run folder.
 */
public record EvalSection(
        @Doc("reference: ADM reference batch .npz (e.g. VIRTUAL_imagenet256_labeled.npz), image .npz/.npy/folder,"
                + " feature .npz, or 'data' for real images of data.source; relative to the experiment file")
        String reference,
        @Doc("feature extractor: inception (options weights, preprocess adm|pytorch-fid, batch), shapes, or a plugin's")
        PluginChoice featureExtractor,
        @Doc("images to sample and evaluate (ADM: 50000)") @Range(min = 2) Integer numSamples,
        @Doc("Inception Score split size (ADM: 5000)") @Range(min = 1) Integer splitSize,
        @Doc("precision/recall neighbourhood size k (ADM: 3)") @Range(min = 1) Integer nearestK,
        @Doc("images per feature-extractor pass (default: the extractor's)") @Range(min = 1) Integer batch,
        @Doc("keep reference features next to the reference file, keyed by its checksum") Boolean cacheReference,
        @Doc("which sample: entry (0, 1, ...) draws the evaluated images, with its settings") @Range(min = 0) Integer sampler) {

    /** {@code reference: data}: real images of the experiment's data source. */
    public static final String DATA_REFERENCE = "data";

    public EvalSection {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("eval.reference is required: an ADM reference batch .npz, an image"
                    + " .npz/.npy/folder, a feature .npz, or 'data' (real images of data.source)");
        }
        featureExtractor = featureExtractor == null ? PluginChoice.named("inception") : featureExtractor;
        numSamples = numSamples == null ? 50_000 : numSamples;
        splitSize = splitSize == null ? InceptionScore.ADM_SPLIT_SIZE : splitSize;
        nearestK = nearestK == null ? PrecisionRecall.ADM_K : nearestK;
        cacheReference = cacheReference == null || cacheReference;
        sampler = sampler == null ? 0 : sampler;
    }

    /** Whether the reference is the experiment's own data. */
    public boolean referencesData() {
        return reference.equals(DATA_REFERENCE);
    }

    /** The reference file or folder, resolved against the experiment file's folder. */
    public Path referencePath(Path baseDir) {
        return baseDir.resolve(reference);
    }

    /** The settings of {@link dev.sit.core.eval.Evaluation}. */
    public EvalSettings settings() {
        return new EvalSettings(batch == null ? 0 : batch, splitSize, nearestK, cacheReference);
    }
}
