package dev.sit.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Grids from the reference's manifests (golden ode-analytic and sde-injected-noise), as float32 values. */
class TimeGridTest {

    @Test
    void matchesTorchLinspaceBitForBit() {
        assertThat(TimeGrid.linspace(0, 1, 10)).containsExactly(0.0, 0.1111111119389534, 0.2222222238779068,
                0.3333333432674408, 0.4444444477558136, 0.5555555820465088, 0.6666666865348816, 0.7777777910232544,
                0.8888888955116272, 1.0);
        assertThat(TimeGrid.linspace(0, 1, 4)).containsExactly(0.0, 0.3333333432674408, 0.6666666269302368, 1.0);
        assertThat(TimeGrid.linspace(1, 0, 10)).containsExactly(1.0, 0.8888888955116272, 0.7777777910232544,
                0.6666666865348816, 0.5555555820465088, 0.4444444477558136, 0.3333333432674408, 0.2222222238779068,
                0.1111111119389534, 0.0);
        assertThat(TimeGrid.linspace(0, 0.96, 8)).containsExactly(0.0, 0.1371428519487381, 0.2742857038974762,
                0.4114285707473755, 0.5485714077949524, 0.6857142448425293, 0.822857141494751, 0.9599999785423279);
    }

    @Test
    void reproducesTheFloat32HeunEndPoint() {
        // grid[6] + dt == 1.0f in float32 (the reference's Heun NaN quirk needs exactly this)
        double[] grid = TimeGrid.linspace(0, 1, 8);
        float dt = (float) grid[1] - (float) grid[0];
        assertThat((float) grid[6] + dt).isEqualTo(1.0f);
    }

    @Test
    void rejectsEmptyGrids() {
        assertThatThrownBy(() -> TimeGrid.linspace(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TimeGrid.linspace(0.5, 1, 1)).containsExactly(0.5);
    }
}
