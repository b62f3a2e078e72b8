package dev.sit.core.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of a sample set against a reference; a metric is {@code null} where the inputs
 * cannot give it (no spatial features: no sFID; no class probabilities: no Inception Score; only
 * stored statistics for the reference: no precision/recall). {@code extractor} is the feature
 * extractor's fingerprint, or the empty string when only feature files were compared.
 * {@code scores} and {@code referenceScores} are the means of the extractor's per-image score
 * layers ({@code score_X} as {@code X}), empty when it has none.
 */
public record EvalResult(Double fid, Double sfid, Double inceptionScore, Double precision, Double recall,
        long referenceCount, long sampleCount, String extractor,
        Map<String, Double> scores, Map<String, Double> referenceScores) {

    public EvalResult {
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        referenceScores = Collections.unmodifiableMap(new LinkedHashMap<>(referenceScores));
    }

    /** A result without per-image scores. */
    public EvalResult(Double fid, Double sfid, Double inceptionScore, Double precision, Double recall,
            long referenceCount, long sampleCount, String extractor) {
        this(fid, sfid, inceptionScore, precision, recall, referenceCount, sampleCount, extractor, Map.of(), Map.of());
    }

    /** The metrics under the keys of {@code sit eval metrics --json} and {@code eval.json}. */
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fid", fid);
        m.put("sfid", sfid);
        m.put("inception_score", inceptionScore);
        m.put("precision", precision);
        m.put("recall", recall);
        m.putAll(scores);
        return m;
    }

    /** The metrics and where they come from. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = metrics();
        m.put("reference_count", referenceCount);
        m.put("sample_count", sampleCount);
        m.put("feature_extractor", extractor);
        referenceScores.forEach((k, v) -> m.put("reference_" + k, v));
        return m;
    }
}
