package dev.sit.spark;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.eval.ClusterFeatureExtraction;
import dev.sit.core.eval.ExtractorRecipe;
import dev.sit.core.eval.FeatureExtraction;
import dev.sit.core.eval.ImageSource;
import java.nio.file.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.LongAccumulator;

/**
 * One Spark task of a feature extraction: the feature rows of the images {@code [from, to)} of a partition of whole
 * batches ({@link FeatureExtraction#runRange}), with the extractor made once per executor core ({@link #EXTRACTORS}).
 * Adds the partition's size to {@code done}: the driver's progress bar. Writes nothing, so a failed attempt leaves
 * nothing behind.
 */
final class FeatureRowsTask implements Function<long[], FeatureRows> {

    private static final long serialVersionUID = 1L;

    static final ExecutorPool<ExtractorRecipe, FeatureExtractor> EXTRACTORS =
            new ExecutorPool<>(recipe -> recipe.create("--inception"));

    private final ClusterFeatureExtraction.Request request;
    private final LongAccumulator done;

    FeatureRowsTask(ClusterFeatureExtraction.Request request, LongAccumulator done) {
        this.request = request;
        this.done = done;
    }

    @Override
    public FeatureRows call(long[] range) throws Exception {
        FeatureExtractor extractor = EXTRACTORS.borrow(request.extractor());
        try (ImageSource images = ImageSource.open(Path.of(request.images()))) {
            FeatureRows rows = FeatureRows.of(range[0],
                    FeatureExtraction.runRange(extractor, images, range[0], range[1], request.batch()));
            done.add(range[1] - range[0]);
            return rows;
        } finally {
            EXTRACTORS.giveBack(request.extractor(), extractor);
        }
    }
}
