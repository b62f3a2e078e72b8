package dev.sit.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SD3 shift in SiT's convention (t = 0 noise, t = 1 data): a shift k > 1 moves times towards the
 * NOISE end, as SD3 intends. Checked by the analytic median {@code 1 / (k + 1)} and mean
 * {@code -1/(k-1) + k ln(k) / (k-1)^2} of a shifted uniform time, and by SD3's own formula on
 * {@code s = 1 - t}.
 */
class TimeShiftTest {

    @Test
    void isSd3sShiftOnTheNoiseLevelOneMinusT() {
        TimeShift shift = new TimeShift(3.0);
        for (double t = 0; t <= 1.0001; t += 0.05) {
            double s = 1 - t;
            double sd3 = 3 * s / (1 + 2 * s);
            assertThat(shift.apply(t)).isCloseTo(1 - sd3, within(1e-12));
            assertThat(shift.inverse(shift.apply(t))).isCloseTo(t, within(1e-12));
        }
        assertThat(shift.apply(0.0)).isZero();
        assertThat(shift.apply(1.0)).isEqualTo(1.0);
        assertThat(TimeShift.NONE.apply(0.3)).isEqualTo(0.3);
    }

    @Test
    void aShiftAboveOneFavoursTheNoiseEnd() {
        double k = 3.0;
        INDArray u = Nd4j.linspace(DataType.DOUBLE, 0.5 / 100_000, 1.0 / 100_000, 100_000);
        double[] t = new TimeShift(k).applyInPlace(u.castTo(DataType.FLOAT)).toDoubleVector();
        Arrays.sort(t);
        // the median of k-shifted U[0, 1] is 1 / (k + 1): a quarter of the time above 1/2 for k = 3
        assertThat(t[t.length / 2]).isCloseTo(1 / (k + 1), within(1e-4));
        double mean = Arrays.stream(t).average().orElseThrow();
        assertThat(mean).isCloseTo(-1 / (k - 1) + k * Math.log(k) / ((k - 1) * (k - 1)), within(1e-4));
        assertThat(mean).isLessThan(0.5);
        // and a shift below 1 favours the data end, symmetrically
        assertThat(new TimeShift(1 / k).apply(0.5)).isCloseTo(1 - new TimeShift(k).apply(0.5), within(1e-12));
    }

    @Test
    void refusesANonPositiveShift() {
        assertThatThrownBy(() -> new TimeShift(0)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> new TimeShift(Double.NaN)).hasMessageContaining("> 0");
    }
}
