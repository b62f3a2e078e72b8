package dev.sit.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ShapeCleanlinessTest {

    private static final double BACKGROUND = -0.8; // u = 0.1
    private static final double FILL = 0.6; // u = 0.8

    @Test
    void everyRenderedShapeIsClean() {
        ShapesDataset data = new ShapesDataset(50_000, 32, 0);
        long[] indices = new long[60]; // 6 of each class, spread over the data set
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i * 829L; // 829 = 9 mod 10: every class 6 times
        }
        INDArray c = ShapeCleanliness.of(data.load(indices, 0).x());
        for (int i = 0; i < indices.length; i++) {
            assertThat(c.getDouble(i, ShapeCleanliness.FILL)).as("fill of example %d", indices[i]).isLessThan(0.025);
            assertThat(c.getDouble(i, ShapeCleanliness.BACKGROUND)).as("background of %d", indices[i]).isLessThan(0.01);
            assertThat(c.getDouble(i, ShapeCleanliness.SPECKS)).as("specks of %d", indices[i]).isZero();
            assertThat(c.getDouble(i, ShapeCleanliness.CLEAN)).as("clean %d", indices[i]).isEqualTo(1.0);
        }
    }

    @Test
    void aFlatSquareIsCleanAndASpeckIsCounted() {
        INDArray square = canvas();
        paint(square, 8, 20, 8, 20, FILL);
        INDArray speckled = square.dup();
        paint(speckled, 27, 28, 3, 4, FILL); // one pixel far from the square
        INDArray c = ShapeCleanliness.of(Nd4j.concat(0, square, speckled));
        assertThat(c.getRow(0).toDoubleVector()).containsExactly(new double[] {0.0, 0.0, 0.0, 1.0}, within(1e-12));
        assertThat(c.getDouble(1, ShapeCleanliness.SPECKS)).isEqualTo(1.0);
        assertThat(c.getDouble(1, ShapeCleanliness.CLEAN)).isZero();
    }

    @Test
    void roughnessIsTheDeviationOfTheInterior() {
        // a checkerboard of +-d around the fill: every interior pixel deviates by d in each channel
        double d = 0.05; // in u = (x + 1) / 2
        INDArray x = canvas();
        for (int i = 4; i < 28; i++) {
            for (int j = 4; j < 28; j++) {
                double v = FILL + ((i + j) % 2 == 0 ? 2 * d : -2 * d);
                for (int ch = 0; ch < 3; ch++) {
                    x.putScalar(new long[] {0, ch, i, j}, v);
                }
            }
        }
        // background noise: a vertical stripe pattern of +-b, standard deviation b (only an even
        // number of columns of the interior background is used, so the mean stays at the level)
        double b = 0.05;
        INDArray noisy = canvas();
        paint(noisy, 10, 22, 10, 22, FILL);
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                if (noisy.getDouble(0, 0, i, j) == BACKGROUND) {
                    for (int ch = 0; ch < 3; ch++) {
                        noisy.putScalar(new long[] {0, ch, i, j}, BACKGROUND + ((j % 2 == 0) ? 2 * b : -2 * b));
                    }
                }
            }
        }
        INDArray c = ShapeCleanliness.of(Nd4j.concat(0, x, noisy));
        assertThat(c.getDouble(0, ShapeCleanliness.FILL)).isCloseTo(d, within(1e-6));
        assertThat(c.getDouble(0, ShapeCleanliness.CLEAN)).isZero();
        assertThat(c.getDouble(1, ShapeCleanliness.FILL)).isCloseTo(0.0, within(1e-12));
        assertThat(c.getDouble(1, ShapeCleanliness.BACKGROUND)).isCloseTo(b, within(2e-3));
        assertThat(c.getDouble(1, ShapeCleanliness.CLEAN)).isZero();
    }

    @Test
    void componentsAreEightConnected() {
        INDArray masks = Nd4j.zeros(DataType.DOUBLE, 3, 8, 8);
        // two separate blobs
        masks.putScalar(0, 1, 1, 1);
        masks.putScalar(0, 1, 2, 1);
        masks.putScalar(0, 5, 5, 1);
        // a diagonal line: one component under 8-connectivity
        for (int i = 0; i < 8; i++) {
            masks.putScalar(1, i, i, 1);
        }
        // a ring (a frame with a hole): one component
        for (int i = 1; i < 7; i++) {
            masks.putScalar(2, 1, i, 1);
            masks.putScalar(2, 6, i, 1);
            masks.putScalar(2, i, 1, 1);
            masks.putScalar(2, i, 6, 1);
        }
        assertThat(ShapeCleanliness.components(masks).toDoubleVector()).containsExactly(2.0, 1.0, 1.0);
    }

    @Test
    void anEmptyImageIsNotClean() {
        INDArray c = ShapeCleanliness.of(canvas());
        assertThat(c.getRow(0).toDoubleVector()).containsExactly(new double[] {1.0, 0.0, -1.0, 0.0}, within(1e-6));
    }

    private static INDArray canvas() {
        return Nd4j.valueArrayOf(new long[] {1, 3, 32, 32}, BACKGROUND, DataType.DOUBLE);
    }

    private static void paint(INDArray x, int y0, int y1, int x0, int x1, double value) {
        for (int i = y0; i < y1; i++) {
            for (int j = x0; j < x1; j++) {
                for (int ch = 0; ch < 3; ch++) {
                    x.putScalar(new long[] {0, ch, i, j}, value);
                }
            }
        }
    }
}
