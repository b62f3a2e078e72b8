package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one side of an evaluation provides: feature layers (N, D) by name, and statistics
 * stored with them (an ADM reference batch's {@code mu}/{@code sigma} and
 * {@code mu_s}/{@code sigma_s}, used as they are instead of the layers').
 */
public record FeatureSet(String source, long count, Map<String, INDArray> layers,
        Optional<FeatureStatistics> storedPool, Optional<FeatureStatistics> storedSpatial) {

    public Optional<INDArray> layer(String name) {
        return Optional.ofNullable(layers.get(name));
    }

    /** Statistics for FID: stored, else fitted to {@code pool_3}. */
    public Optional<FeatureStatistics> poolStatistics() {
        return storedPool.or(() -> layer(FeatureExtractor.POOL).map(FeatureStatistics::of));
    }

    /** Statistics for sFID: stored, else fitted to {@code spatial}. */
    public Optional<FeatureStatistics> spatialStatistics() {
        return storedSpatial.or(() -> layer(FeatureExtractor.SPATIAL).map(FeatureStatistics::of));
    }
}
