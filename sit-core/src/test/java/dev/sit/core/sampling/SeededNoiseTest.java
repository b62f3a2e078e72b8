package dev.sit.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SeededNoiseTest {

    @Test
    void sameSeedAndShapesGiveTheSameNoiseWhateverTheGlobalGeneratorDoes() {
        SeededNoise a = new SeededNoise(42);
        INDArray first = a.next(4, 3, 2);
        INDArray second = a.next(5);
        Nd4j.getRandom().setSeed(7);
        Nd4j.randn(DataType.FLOAT, 100);
        SeededNoise b = new SeededNoise(42);
        assertThat(b.next(4, 3, 2)).isEqualTo(first);
        assertThat(b.next(5)).isEqualTo(second);
        assertThat(new SeededNoise(43).next(4, 3, 2)).isNotEqualTo(first);
    }

    @Test
    void drawsFloat32StandardNormals() {
        INDArray z = new SeededNoise(1).next(200_000);
        assertThat(z.dataType()).isEqualTo(DataType.FLOAT);
        // mean of n = 2e5 N(0,1) draws has std 1/sqrt(n) = 0.0022: 5 sigma is 0.011;
        // the sample variance has std sqrt(2/n) = 0.0032: 5 sigma is 0.016
        assertThat(z.meanNumber().doubleValue()).isCloseTo(0, within(0.011));
        assertThat(z.varNumber().doubleValue()).isCloseTo(1, within(0.016));
        // successive draws are different
        SeededNoise noise = new SeededNoise(1);
        assertThat(noise.next(10)).isNotEqualTo(noise.next(10));
    }
}
