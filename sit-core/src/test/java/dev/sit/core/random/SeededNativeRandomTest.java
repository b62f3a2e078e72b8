package dev.sit.core.random;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

class SeededNativeRandomTest {

    private static INDArray gaussian(Random random) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, 64);
        Nd4j.getExecutioner().exec(new GaussianDistribution(out, 0.0, 1.0), random);
        return out;
    }

    @Test
    void seedZeroGivesTheSameNumbersEveryTime() throws Exception {
        INDArray first;
        try (Random a = SeededNativeRandom.of(0)) {
            first = gaussian(a);
        }
        Thread.sleep(20);   // ND4J seeds 0 from the clock: a later generator would differ
        try (Random b = SeededNativeRandom.of(0)) {
            assertThat(gaussian(b)).isEqualTo(first);
        }
    }

    @Test
    void nd4jItselfTakesSeedZeroFromTheClock() throws Exception {
        // the reason for SeededNativeRandom: if ND4J ever fixes this, the alias is no longer needed
        INDArray first;
        try (Random a = Nd4j.getRandomFactory().getNewRandomInstance(0)) {
            first = gaussian(a);
        }
        Thread.sleep(20);
        try (Random b = Nd4j.getRandomFactory().getNewRandomInstance(0)) {
            assertThat(gaussian(b)).isNotEqualTo(first);
        }
    }

    @Test
    void nonZeroSeedsAreUnchanged() {
        assertThat(SeededNativeRandom.nativeSeed(42)).isEqualTo(42);
        assertThat(SeededNativeRandom.nativeSeed(-1)).isEqualTo(-1);
        assertThat(SeededNativeRandom.nativeSeed(0)).isEqualTo(SeededNativeRandom.ZERO_ALIAS).isNotZero();
    }
}
