package dev.sit.core.io;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** User tensors: the first non-finite value, a wrong shape and an out-of-range label are named with their index. */
class InputTensorCheckTest {

    @Test
    void theFirstNonFiniteValueIsNamedWithItsIndexAndTheCount() {
        INDArray t = Nd4j.createFromArray(0.1f, 0.5f, Float.NaN, 0.7f, Float.NaN);
        assertThatThrownBy(() -> InputTensorCheck.requireFinite(t, "--t t.npy"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--t t.npy: value NaN at index 2 (the first of 2 non-finite values)")
                .hasMessageContaining("finite");
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 3);
        x.putScalar(new long[] {1, 1}, Float.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> InputTensorCheck.requireFinite(x, "--x x.npy"))
                .hasMessageContaining("value -inf at index (1, 1)");
        assertThatCode(() -> InputTensorCheck.requireFinite(Nd4j.rand(DataType.DOUBLE, 4, 4), "--x")).doesNotThrowAnyException();
    }

    @Test
    void aMatrixWhereAVectorBelongsIsRefusedNotFlattened() {
        INDArray t = Nd4j.rand(DataType.FLOAT, 2, 2);
        assertThatThrownBy(() -> InputTensorCheck.requireShape(t, "--t t.npy", new long[] {4}, "one time per sample"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--t t.npy: shape (2, 2), expected (4,) (one time per sample)");
    }

    @Test
    void labelsOutOfRangeArePrintedAsIntegersWithTheirIndex() {
        INDArray y = Nd4j.createFromArray(0L, 3L, 12L, -1L);
        assertThatThrownBy(() -> InputTensorCheck.requireLabels(y, "--y y.npy", 11, "num_classes 10"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("label 12 at index 2 is outside [0, 10]");
        INDArray negativeFirst = Nd4j.createFromArray(-1, 3);
        assertThatThrownBy(() -> InputTensorCheck.requireLabels(negativeFirst, "--y", 11, "num_classes 10"))
                .hasMessageContaining("label -1 at index 0");
        assertThatThrownBy(() -> InputTensorCheck.requireLabels(Nd4j.createFromArray(1f, 2f), "--y y.npy", 11, ""))
                .hasMessageContaining("class labels must be integers");
        assertThatCode(() -> InputTensorCheck.requireLabels(Nd4j.createFromArray(0L, 10L), "--y", 11, ""))
                .doesNotThrowAnyException();
    }
}
