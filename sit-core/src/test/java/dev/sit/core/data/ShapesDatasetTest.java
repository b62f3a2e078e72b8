package dev.sit.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ShapesDatasetTest {

    static long[] range(long from, int n) {
        long[] r = new long[n];
        Arrays.setAll(r, i -> from + i);
        return r;
    }

    @Test
    void exampleIDependsOnlyOnSeedAndIndex() {
        ShapesDataset data = new ShapesDataset(1000, 32, 7);
        Batch a = data.load(new long[] {5, 17, 42}, 1);
        Batch b = data.load(new long[] {42, 999, 5}, 2);
        assertThat(a.x().get(NDArrayIndex.point(0))).isEqualTo(b.x().get(NDArrayIndex.point(2)));
        assertThat(a.x().get(NDArrayIndex.point(2))).isEqualTo(b.x().get(NDArrayIndex.point(0)));
        assertThat(a.y().toLongVector()).containsExactly(5, 7, 2);
        Batch other = new ShapesDataset(1000, 32, 8).load(new long[] {5}, 1);
        assertThat(other.x().get(NDArrayIndex.point(0))).isNotEqualTo(a.x().get(NDArrayIndex.point(0)));
    }

    @Test
    void imagesAreRgbInMinusOneToOneWithVariedPlacement() {
        Dataset data = new ShapesSource(new ShapesOptions(null, null, null)).open(new DatasetContext(Path.of("."), 0, 1));
        assertThat(data.size()).isEqualTo(ShapesOptions.DEFAULT_SIZE);
        assertThat(data.exampleShape()).containsExactly(3, 32, 32);
        assertThat(data.numClasses()).isEqualTo(10);
        assertThat(data.classNames()).hasSize(10).contains("red circle", "violet frame");
        Batch b = data.load(range(0, 20), 0);
        assertThat(b.x().shape()).containsExactly(20, 3, 32, 32);
        assertThat(b.x().minNumber().doubleValue()).isGreaterThanOrEqualTo(-1.0);
        assertThat(b.x().maxNumber().doubleValue()).isLessThanOrEqualTo(1.0).isGreaterThan(0.5);
        // two examples of the same class differ (position/size/rotation)
        assertThat(b.x().get(NDArrayIndex.point(0))).isNotEqualTo(b.x().get(NDArrayIndex.point(10)));
    }

    @Test
    void imageSizeFollowsTheRunAndAConflictIsAnError() {
        Dataset d = new ShapesSource(new ShapesOptions(10L, null, 0L)).open(new DatasetContext(Path.of("."), 16, 0));
        assertThat(d.exampleShape()).containsExactly(3, 16, 16);
        assertThatThrownBy(() -> new ShapesSource(new ShapesOptions(10L, 32, 0L)).open(new DatasetContext(Path.of("."), 16, 0)))
                .hasMessageContaining("image_size").hasMessageContaining("16");
    }

    @Test
    void classifierRecognisesRealImagesAndRejectsShuffledLabels() {
        ShapesClassifier classifier = ShapesClassifier.fit(32, 60);
        ShapesDataset test = new ShapesDataset(100_000, 32, 12345);
        Batch b = test.load(range(50_000, 500), 0);
        long[] labels = b.y().toLongVector();
        ClassRecognition real = classifier.recognize(b.x(), labels);
        System.out.printf("shapes classifier: real %.4f, per class %s%n", real.fraction(),
                Arrays.toString(java.util.stream.IntStream.range(0, 10).mapToDouble(real::fractionOf).toArray()));
        assertThat(real.fraction()).isGreaterThanOrEqualTo(0.95);
        for (int k = 0; k < 10; k++) {
            assertThat(real.fractionOf(k)).as("class %d", k).isGreaterThanOrEqualTo(0.85);
        }

        long[] shuffled = labels.clone();
        Random rnd = new Random(3);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        double chance = classifier.recognize(b.x(), shuffled).fraction();
        System.out.printf("shapes classifier: shuffled labels %.4f%n", chance);
        assertThat(chance).isBetween(0.04, 0.18);
    }

    @Test
    void noiseAndBlankImagesAreNotRecognised() {
        ShapesClassifier classifier = ShapesClassifier.fit(32, 30);
        INDArray blank = Nd4j.zeros(10, 3, 32, 32).subi(1.0);
        ClassRecognition r = classifier.recognize(blank, range(0, 10));
        assertThat(r.fraction()).isZero();
        assertThat(r.predicted()).containsOnly(-1);
    }

    @Test
    void shapeAloneSeparatesTheClasses() {
        // the same images with their colour removed (every foreground pixel white): only shape is left
        ShapesDataset train = new ShapesDataset(10_000, 32, 1);
        ShapesDataset test = new ShapesDataset(10_000, 32, 2);
        Batch a = train.load(range(0, 400), 0);
        Batch b = test.load(range(0, 400), 0);
        INDArray whiteA = whiten(a.x());
        INDArray whiteB = whiten(b.x());
        ShapesClassifier shapeOnly = ShapesClassifier.fit(whiteA, a.y().toLongVector(), 10);
        double acc = shapeOnly.recognize(whiteB, b.y().toLongVector()).fraction();
        System.out.printf("shapes classifier on colourless images: %.4f%n", acc);
        assertThat(acc).isGreaterThan(0.8);
    }

    @Test
    void blurredNoisyImagesLikeEarlySamplesAreStillRecognised() {
        // what a briefly trained model produces: soft edges and residual noise
        ShapesClassifier classifier = ShapesClassifier.fit(32, 60);
        Batch b = new ShapesDataset(10_000, 32, 99).load(range(0, 300), 0);
        INDArray x = b.x();
        INDArray moved = shift(x, 1, 2);
        assertThat(moved.shape()).containsExactly(300, 3, 32, 32);
        assertThat(moved.getDouble(7, 1, 10, 20)).isEqualTo(x.getDouble(7, 1, 9, 18));
        assertThat(moved.getDouble(7, 1, 0, 0)).isEqualTo(x.getDouble(7, 1, 0, 0));
        INDArray blurred = x.dup();
        int count = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (dx == 0 && dy == 0) {
                    continue;
                }
                blurred.addi(shift(x, dy, dx));
                count++;
            }
        }
        blurred.divi(count + 1);
        INDArray noisy = blurred.addi(Nd4j.getRandomFactory().getNewRandomInstance(5).nextGaussian(new long[] {300, 3, 32, 32})
                .muli(0.1));
        double acc = classifier.recognize(noisy, b.y().toLongVector()).fraction();
        System.out.printf("shapes classifier on blurred + noisy images: %.4f%n", acc);
        assertThat(acc).isGreaterThanOrEqualTo(0.9);
    }

    /** The images moved by (dy, dx) pixels, edges repeated. */
    static INDArray shift(INDArray x, int dy, int dx) {
        long h = x.size(2);
        long w = x.size(3);
        long[] rows = java.util.stream.LongStream.range(0, h).map(r -> Math.min(h - 1, Math.max(0, r - dy))).toArray();
        long[] cols = java.util.stream.LongStream.range(0, w).map(c -> Math.min(w - 1, Math.max(0, c - dx))).toArray();
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.indices(rows), NDArrayIndex.indices(cols)).dup();
    }

    /** Each pixel's brightness (max over channels) copied to all three channels. */
    static INDArray whiten(INDArray x) {
        INDArray m = x.max(true, 1);
        return Nd4j.concat(1, m, m, m);
    }
}
