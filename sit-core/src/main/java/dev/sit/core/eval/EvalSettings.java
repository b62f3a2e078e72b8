package dev.sit.core.eval;

/**
 * How metrics are computed: {@code batch} images per feature-extractor pass (0 = the
 * extractor's default), the Inception Score's {@code splitSize} (ADM: 5000), the precision/recall
 * neighbourhood {@code k} (ADM: 3), and whether features of image-set references are cached next
 * to the file ({@code cacheReference}).
 */
public record EvalSettings(int batch, int splitSize, int k, boolean cacheReference) {

    /** ADM's settings, the extractor's batch size, caching on. */
    public static final EvalSettings ADM = new EvalSettings(0, InceptionScore.ADM_SPLIT_SIZE, PrecisionRecall.ADM_K, true);

    public EvalSettings {
        if (batch < 0 || splitSize < 1 || k < 1) {
            throw new IllegalArgumentException("eval settings need batch >= 0, split size >= 1 and k >= 1, got batch "
                    + batch + ", split size " + splitSize + ", k " + k);
        }
    }

    public EvalSettings withBatch(int b) {
        return new EvalSettings(b, splitSize, k, cacheReference);
    }
}
