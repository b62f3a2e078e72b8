package dev.sit.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.sampling.DiffusionForm;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.PathCoefficients;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DiffusionForm} plugin must do: give the values the subclass documents (for
 * bundled forms, the reference's tables), and a finite, non-negative {@code w(t)} strictly inside
 * (0, 1) on the kit's {@link ReferencePaths} for norms 0.5, 1 and 2 (the SDE takes {@code sqrt(2 w)}).
 */
public abstract class DiffusionFormContract {

    /** A documented value: {@code w} at these coefficients and norm. */
    public record KnownValue(PathCoefficients at, double norm, double expected) {
    }

    protected abstract DiffusionForm form();

    /** Values the form must reproduce (relative tolerance 1e-9). */
    protected abstract List<KnownValue> knownValues();

    @Test
    void reproducesItsKnownValues() {
        List<KnownValue> known = knownValues();
        assertThat(known).as("known values").isNotEmpty();
        for (KnownValue k : known) {
            assertThat(form().diffusion(k.at(), k.norm())).as("w at t = %s, norm %s", k.at().t(), k.norm())
                    .isCloseTo(k.expected(), within(1e-9 * Math.abs(k.expected()) + 1e-12));
        }
    }

    @Test
    void isFiniteAndNonNegativeInsideTheInterval() {
        for (Interpolant path : ReferencePaths.all()) {
            for (double t : ReferencePaths.interiorTimes()) {
                for (double norm : new double[] {0.5, 1, 2}) {
                    double w = form().diffusion(path.at(t), norm);
                    assertThat(w).as("w(%s) on %s with norm %s", t, path, norm).isFinite().isGreaterThanOrEqualTo(0);
                }
            }
        }
    }
}
