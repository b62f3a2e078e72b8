package dev.sit.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.eval.FeatureExtractor;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What every {@link FeatureExtractor} must do for the metrics to mean anything: return every
 * layer it lists, including {@code pool_3}, as finite (N, D) float arrays; give the same features
 * for the same images (deterministic) whether they come alone or in a batch; give class
 * probabilities that sum to 1 where it offers {@code softmax}; and keep a fingerprint usable in a
 * file name. A test class extends this and says how to make the extractor and what images it takes.
 */
public abstract class FeatureExtractorContract {

    private FeatureExtractor extractor;

    /** The extractor under test. */
    protected abstract FeatureExtractor newExtractor() throws Exception;

    /** Images the extractor is meant for, 8-bit RGB (N, H, W, 3) with N >= 4 and values 0..255. */
    protected abstract INDArray images() throws Exception;

    /** Absolute tolerance between a batch's features and the same images' features alone. */
    protected double batchTolerance() {
        return 1e-4;
    }

    @BeforeEach
    void make() throws Exception {
        extractor = newExtractor();
    }

    @AfterEach
    void release() {
        extractor.close();
    }

    @Test
    void everyListedLayerComesBackAsFiniteRowsPerImage() throws Exception {
        INDArray x = images();
        assertThat(extractor.layers()).contains(FeatureExtractor.POOL);
        Map<String, INDArray> f = extractor.extract(x);
        for (String layer : extractor.layers()) {
            INDArray a = f.get(layer);
            assertThat(a).as("layer " + layer).isNotNull();
            assertThat(a.rank()).as(layer + " rank").isEqualTo(2);
            assertThat(a.size(0)).as(layer + " rows").isEqualTo(x.size(0));
            assertThat(a.size(1)).as(layer + " width").isPositive();
            assertThat(Double.isFinite(a.castTo(DataType.DOUBLE).sumNumber().doubleValue())).as(layer + " finite").isTrue();
        }
    }

    @Test
    void featuresAreDeterministicAndIndependentOfTheBatch() throws Exception {
        INDArray x = images();
        Map<String, INDArray> all = extractor.extract(x);
        Map<String, INDArray> again = extractor.extract(x);
        Map<String, INDArray> firstTwo = extractor.extract(x.get(NDArrayIndex.interval(0, 2)).dup());
        for (String layer : extractor.layers()) {
            assertThat(again.get(layer)).as(layer + " twice").isEqualTo(all.get(layer));
            INDArray head = all.get(layer).get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()).castTo(DataType.DOUBLE);
            double diff = Transforms.abs(firstTwo.get(layer).castTo(DataType.DOUBLE).sub(head)).maxNumber().doubleValue();
            assertThat(diff).as(layer + ": first two images alone vs in the batch").isLessThanOrEqualTo(batchTolerance());
        }
    }

    @Test
    void classProbabilitiesSumToOne() throws Exception {
        if (!extractor.layers().contains(FeatureExtractor.SOFTMAX)) {
            return;
        }
        INDArray p = extractor.extract(images()).get(FeatureExtractor.SOFTMAX).castTo(DataType.DOUBLE);
        assertThat(p.minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
        for (double s : p.sum(1).toDoubleVector()) {
            assertThat(s).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void fingerprintIsAFileNamePart() {
        assertThat(extractor.fingerprint()).matches("[A-Za-z0-9_-]+");
    }

    /** Random 8-bit images (N, size, size, 3) from a fixed seed, for extractors without a domain. */
    protected static INDArray randomImages(int n, int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Transforms.floor(Nd4j.rand(DataType.FLOAT, n, size, size, 3).muli(255.99f), false);
    }
}
