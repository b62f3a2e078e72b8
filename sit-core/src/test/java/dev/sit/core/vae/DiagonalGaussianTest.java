package dev.sit.core.vae;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiagonalGaussianTest {

    @Test
    void clampsTheLogVarianceOnBothSides() {
        INDArray moments = VaeGolden.npy("clamp_moments.npy");
        DiagonalGaussian p = DiagonalGaussian.fromMoments(moments);
        VaeGolden.assertMatches(p.mean(), "clamp_mean.npy");
        VaeGolden.assertMatches(p.std(), "clamp_std.npy");
        // the fixture reaches beyond both ends of [-30, 20]
        assertThat(moments.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)).minNumber().doubleValue()).isLessThan(-30);
        assertThat(p.logvar().minNumber().doubleValue()).isEqualTo(-30.0);
        assertThat(p.logvar().maxNumber().doubleValue()).isEqualTo(20.0);
    }

    @Test
    void sampleIsMeanPlusStdTimesNoiseAndSeeded() {
        INDArray moments = Nd4j.randn(DataType.FLOAT, 3, 8, 2, 2);
        DiagonalGaussian p = DiagonalGaussian.fromMoments(moments);
        INDArray noise = Nd4j.randn(DataType.FLOAT, 3, 4, 2, 2);
        INDArray expected = p.mean().add(Transforms.exp(p.logvar().mul(0.5)).mul(noise));
        VaeGolden.assertClose(p.sample(noise), expected, 1e-6, 1e-6, "mean + std*noise");
        assertThat(p.sample(7)).isEqualTo(p.sample(7));
        assertThat(p.sample(7)).isNotEqualTo(p.sample(8));
        assertThat(p.mode()).isSameAs(p.mean());
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> DiagonalGaussian.fromMoments(Nd4j.zeros(DataType.FLOAT, 1, 3, 2, 2)))
                .hasMessageContaining("[N, 2*E, h, w]");
        DiagonalGaussian p = DiagonalGaussian.fromMoments(Nd4j.zeros(DataType.FLOAT, 1, 8, 2, 2));
        assertThatThrownBy(() -> p.sample(Nd4j.zeros(DataType.FLOAT, 1, 4, 2, 3))).hasMessageContaining("noise shape");
    }
}
