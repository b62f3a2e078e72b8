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
    void aShiftedSamplingGridKeepsItsEndsAndOrderAndStepsMoreNearNoise() {
        double[] grid = dev.sit.core.sampling.TimeGrid.linspace(0.0, 1.0, 11);
        double[] shifted = new TimeShift(3.0).onGrid(grid);
        assertThat(shifted[0]).isEqualTo(0.0);
        assertThat(shifted[10]).isEqualTo(1.0);
        for (int i = 1; i < 11; i++) {
            assertThat(shifted[i]).isGreaterThan(shifted[i - 1]);
            assertThat(shifted[i]).isCloseTo(grid[i] / (3 - 2 * grid[i]), within(1e-7));
        }
        // the first step (from noise) is 2.8 times shorter, the last (at data) 2.5 times longer (slope 1/k to k)
        assertThat(shifted[1] - shifted[0]).isLessThan((grid[1] - grid[0]) / 2.5);
        assertThat(shifted[10] - shifted[9]).isGreaterThan((grid[10] - grid[9]) * 2.4);
        // an SDE interval [t0, t1] and a reversed ODE grid (data to noise) are shifted in SiT's time too
        double[] sde = new TimeShift(3.0).onGrid(dev.sit.core.sampling.TimeGrid.linspace(0.0, 0.96, 5));
        assertThat(sde[2]).isCloseTo(0.96 * (0.5 / (3 - 2 * 0.5)), within(1e-7));
        double[] reversed = new TimeShift(3.0).onGrid(dev.sit.core.sampling.TimeGrid.linspace(1.0, 0.0, 11));
        for (int i = 0; i < 11; i++) {
            assertThat(reversed[i]).isCloseTo(shifted[10 - i], within(1e-7));
        }
        assertThat(TimeShift.NONE.onGrid(grid)).containsExactly(grid);
    }

    @Test
    void refusesANonPositiveShift() {
        assertThatThrownBy(() -> new TimeShift(0)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> new TimeShift(Double.NaN)).hasMessageContaining("> 0");
    }
}
