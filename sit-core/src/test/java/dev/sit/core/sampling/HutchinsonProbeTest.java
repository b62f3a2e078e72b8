package dev.sit.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class HutchinsonProbeTest {

    @Test
    void rademacherProbesAreSignsWithMeanZeroAndReproducible() {
        INDArray e = HutchinsonProbe.rademacher(3).next(100_000);
        assertThat(Transforms.abs(e).minNumber().doubleValue()).isEqualTo(1.0);
        assertThat(Transforms.abs(e).maxNumber().doubleValue()).isEqualTo(1.0);
        // mean of 1e5 signs has std 1/sqrt(1e5) = 0.0032; 5 sigma
        assertThat(e.meanNumber().doubleValue()).isCloseTo(0, within(0.016));
        assertThat(HutchinsonProbe.rademacher(3).next(100_000)).isEqualTo(e);
    }
}
