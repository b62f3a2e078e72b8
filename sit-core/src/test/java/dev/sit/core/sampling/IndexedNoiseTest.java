package dev.sit.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.sampling.NoiseSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class IndexedNoiseTest {

    @Test
    void everyElementEqualsTheScalarSplitMixBoxMullerReference() {
        INDArray z = IndexedNoise.rows(7, 11, 5, 3, 2, 2, 3, 4);
        assertThat(z.shape()).isEqualTo(new long[] {3, 2, 3, 4});
        assertThat(z.dataType()).isEqualTo(DataType.FLOAT);
        float[] values = z.dup('c').data().asFloat();
        for (int j = 0; j < 3; j++) {
            long key = IndexedNoise.key(7, 11, 5 + j, 2);
            for (int e = 0; e < 24; e++) {
                assertThat(values[j * 24 + e]).as("sample %d element %d", 5 + j, e)
                        .isEqualTo((float) IndexedNoise.reference(key, e));
            }
        }
    }

    @Test
    void aSamplesRowDoesNotDependOnItsBatch() {
        INDArray all = IndexedNoise.rows(3, 11, 0, 8, 0, 4, 8, 8);
        INDArray part = IndexedNoise.rows(3, 11, 3, 2, 0, 4, 8, 8);
        assertThat(part).isEqualTo(all.get(NDArrayIndex.interval(3, 5)));
        // other seed, purpose, draw: other noise
        assertThat(IndexedNoise.rows(4, 11, 3, 2, 0, 4, 8, 8)).isNotEqualTo(part);
        assertThat(IndexedNoise.rows(3, 12, 3, 2, 0, 4, 8, 8)).isNotEqualTo(part);
        assertThat(IndexedNoise.rows(3, 11, 3, 2, 1, 4, 8, 8)).isNotEqualTo(part);
    }

    @Test
    void theSdeSourceDrawsTheSamePathPerSampleInAnyBatch() {
        NoiseSource whole = IndexedNoise.source(1, 12, 0, 4);
        NoiseSource half = IndexedNoise.source(1, 12, 2, 2);
        for (int k = 0; k < 3; k++) {
            INDArray a = whole.next(4, 3);
            INDArray b = half.next(2, 3);
            assertThat(b).as("draw %d", k).isEqualTo(a.get(NDArrayIndex.interval(2, 4)));
        }
        assertThatThrownBy(() -> half.next(3, 3)).hasMessageContaining("has 2 rows");
    }

    @Test
    void drawsStandardNormals() {
        INDArray z = IndexedNoise.rows(1, 11, 0, 100, 0, 2000);
        // mean of n = 2e5 N(0,1) draws has std 1/sqrt(n) = 0.0022: 5 sigma is 0.011;
        // the sample variance has std sqrt(2/n) = 0.0032: 5 sigma is 0.016
        assertThat(z.meanNumber().doubleValue()).isCloseTo(0, within(0.011));
        assertThat(z.varNumber().doubleValue()).isCloseTo(1, within(0.016));
        // tails: P(|z| > 3) = 0.0027, 540 of 2e5 expected (std 23)
        double beyond3 = org.nd4j.linalg.ops.transforms.Transforms.abs(z, true).gt(3.0).castTo(DataType.INT)
                .sumNumber().doubleValue();
        assertThat(beyond3).isBetween(540 - 5 * 23.0, 540 + 5 * 23.0);
    }
}
