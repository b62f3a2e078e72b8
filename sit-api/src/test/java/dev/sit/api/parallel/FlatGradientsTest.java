package dev.sit.api.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The gradient list as one float32 vector: list order, C order of each array, mixed data types, and back. */
class FlatGradientsTest {

    @Test
    void gradientsFlattenInListOrderAndCOrderAndScatterBack() {
        INDArray a = Nd4j.arange(6).castTo(DataType.FLOAT).reshape('c', 2, 3);
        INDArray b = Nd4j.arange(6, 10).castTo(DataType.FLOAT).reshape('c', 2, 2).transpose(); // an 'f'-ordered view
        INDArray c = Nd4j.arange(10, 13).castTo(DataType.DOUBLE);
        INDArray flat = FlatGradients.flatten(new INDArray[] {a, b, c});
        assertThat(flat.dataType()).isEqualTo(DataType.FLOAT);
        // b is [[6, 8], [7, 9]] as an array: C order reads it row by row
        assertThat(flat.toFloatVector()).containsExactly(0, 1, 2, 3, 4, 5, 6, 8, 7, 9, 10, 11, 12);

        INDArray[] targets = {Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.FLOAT, 2, 2),
            Nd4j.zeros(DataType.DOUBLE, 3)};
        FlatGradients.scatter(flat.mul(2), targets);
        assertThat(targets[0]).isEqualTo(a.mul(2));
        assertThat(targets[1]).isEqualTo(b.mul(2));
        assertThat(targets[2]).isEqualTo(c.mul(2));
        assertThatThrownBy(() -> FlatGradients.scatter(Nd4j.zeros(DataType.FLOAT, 14), targets))
                .hasMessageContaining("14 values but the arrays 13");
    }
}
