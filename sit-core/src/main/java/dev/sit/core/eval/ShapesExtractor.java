package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.data.ShapeCleanliness;
import dev.sit.core.data.ShapeStatistics;
import dev.sit.core.data.ShapesClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The {@code shapes} feature extractor, a domain stand-in for Inception on the synthetic
 * {@code shapes} data that needs no download. {@code pool_3} is the 6 {@code ShapeStatistics}
 * (mean foreground colour, compactness, elongation, centre fill) divided by their pooled
 * within-class deviations, so the Fréchet distance is in units of class spread; {@code softmax}
 * is {@code p(y|x) ∝ exp(-d²(x, prototype_y) / 2)} over the 10 shape classes of
 * {@link ShapesClassifier}, so the Inception Score reads as "how many distinct, recognisable
 * classes" (at most 10). An image without foreground gets the raw statistics -1 (impossible for
 * real images; likewise any statistic that degenerates to infinity, e.g. the elongation of a
 * one-pixel foreground) so that such samples count as far from every class rather than
 * breaking the maths.
 * The {@code score_*} layers are the per-image {@link ShapeCleanliness} columns (fill and
 * background roughness, specks, clean), reported as their means: {@code clean} is the fraction
 * of images that look like clean rendered shapes.
 * The prototypes are fitted once per image size from {@code perClass} real images of each class.
 */
public final class ShapesExtractor implements FeatureExtractor {

    private final int perClass;
    private ShapesClassifier classifier;
    private long fittedSize = -1;

    public ShapesExtractor(ShapesExtractorOptions options) {
        this.perClass = options.perClass();
    }

    /** Per-image cleanliness scores ({@link ShapeCleanliness}), as score layers in its column order. */
    static final List<String> SCORES = List.of(SCORE_PREFIX + "fill_roughness", SCORE_PREFIX + "background_roughness",
            SCORE_PREFIX + "specks", SCORE_PREFIX + "clean");

    @Override
    public List<String> layers() {
        List<String> layers = new ArrayList<>(List.of(POOL, SOFTMAX));
        layers.addAll(SCORES);
        return layers;
    }

    @Override
    public synchronized Map<String, INDArray> extract(INDArray images) {
        if (images.rank() != 4 || images.size(3) != 3 || images.size(1) != images.size(2)) {
            throw new IllegalArgumentException("the shapes feature extractor takes square RGB images (N, S, S, 3), got "
                    + Arrays.toString(images.shape()));
        }
        long size = images.size(1);
        if (classifier == null || fittedSize != size) {
            classifier = ShapesClassifier.fit((int) size, perClass);
            fittedSize = size;
        }
        // uint8 NHWC -> [-1, 1] NCHW, as the dataset renders them
        INDArray x = images.castTo(DataType.DOUBLE).divi(127.5).subi(1.0).permute(0, 3, 1, 2).dup('c');
        INDArray raw = ShapeStatistics.of(x);
        BooleanIndexing.replaceWhere(raw, -1.0, Conditions.isNan());
        BooleanIndexing.replaceWhere(raw, -1.0, Conditions.isInfinite());
        INDArray features = classifier.standardize(raw);
        INDArray logits = classifier.squaredDistances(features).muli(-0.5);
        // far from every prototype, exp underflows to 0 for all classes: shift by the row maximum first
        logits.subiColumnVector(logits.max(true, 1));
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(POOL, features.castTo(DataType.FLOAT));
        out.put(SOFTMAX, Transforms.softmax(logits, true).castTo(DataType.FLOAT));
        INDArray cleanliness = ShapeCleanliness.of(x);
        for (int c = 0; c < SCORES.size(); c++) {
            out.put(SCORES.get(c), cleanliness.getColumn(c, true).castTo(DataType.FLOAT));
        }
        return out;
    }

    @Override
    public String fingerprint() {
        return "shapes-p" + perClass + "-c1"; // c1: with the cleanliness scores
    }

    @Override
    public int batchSize() {
        return 256;
    }
}
