package dev.sit.api.eval;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network that turns images into the feature vectors generative-model metrics compare
 * (extension point {@code feature-extractor}). The FID Inception-v3 is one; a classifier trained
 * on a small domain (Fashion-MNIST, {@code shapes}) can stand in for it where Inception features
 * mean little.
 *
 * <p>{@link #extract} returns named layers, each (N, D_layer) float. The host computes, from
 * the layers present:
 *
 * <pre>
 *   pool_3   FID = |mu_s - mu_r|² + tr(S_s) + tr(S_r) - 2 tr(sqrtm(S_s S_r)), and precision/recall (k = 3)
 *   spatial  sFID, the same Fréchet distance on spatial features
 *   softmax  Inception Score = exp(E_x KL(p(y|x) || p(y))), in splits of 5000
 *   score_X  (N, 1) per-image scores of the extractor's own domain: the host reports their mean
 *            over the samples as X (and over the reference as reference_X)
 * </pre>
 *
 * An extractor must be deterministic (same images, same features) and its features must not
 * depend on how the images are batched.
 */
public interface FeatureExtractor extends AutoCloseable {

    /** The layer FID and precision/recall use. */
    String POOL = "pool_3";
    /** The layer sFID uses. */
    String SPATIAL = "spatial";
    /** Class probabilities, for the Inception Score. */
    String SOFTMAX = "softmax";
    /** Unnormalised class scores (optional). */
    String LOGITS = "logits";
    /**
     * Prefix of per-image score layers (N, 1), optional: e.g. {@code score_clean} of the
     * {@code shapes} extractor, 1 for an image that looks like a clean rendered shape.
     */
    String SCORE_PREFIX = "score_";

    /** The layers {@link #extract} returns; must include {@link #POOL}. */
    List<String> layers();

    /**
     * Features of a batch of 8-bit RGB images (N, H, W, 3), values 0..255 in any numeric type:
     * one (N, D) float array per name of {@link #layers()}.
     */
    Map<String, INDArray> extract(INDArray images);

    /**
     * A short string that changes whenever the features would (weights, preprocessing): the
     * host keys cached reference features by it. Letters, digits, '-' and '_' only.
     */
    String fingerprint();

    /** How many images to pass at once to keep memory bounded. */
    default int batchSize() {
        return 32;
    }

    /** Releases native memory; the default does nothing. */
    @Override
    default void close() {
    }
}
