package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.sampling.LastStep;
import dev.sit.api.sampling.LastStepCoefficients;
import dev.sit.api.testkit.LastStepContract;
import dev.sit.api.testkit.ReferencePaths;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The four last-step rules pass the test kit and have the reference's formulas (SIT-SPEC section 5). */
class LastStepsTest {

    private static LastStep named(String name) {
        return BundledPlugins.create(ExtensionPoint.LAST_STEP, name);
    }

    @Nested
    class None extends LastStepContract {
        @Override
        protected LastStep lastStep() {
            return named("None");
        }

        @Override
        protected boolean moves() {
            return false;
        }
    }

    @Nested
    class Mean extends LastStepContract {
        @Override
        protected LastStep lastStep() {
            return named("Mean");
        }
    }

    @Nested
    class Tweedie extends LastStepContract {
        @Override
        protected LastStep lastStep() {
            return named("Tweedie");
        }
    }

    @Nested
    class Euler extends LastStepContract {
        @Override
        protected LastStep lastStep() {
            return named("Euler");
        }
    }

    @Test
    void haveTheReferenceFormulas() {
        var c = ReferencePaths.trigonometric().at(0.96);
        assertThat(named("None").coefficients(c, 0.04)).isEqualTo(LastStepCoefficients.IDENTITY);
        assertThat(named("Mean").coefficients(c, 0.04)).isEqualTo(new LastStepCoefficients(1, 0.04, 0, 0));
        assertThat(named("Euler").coefficients(c, 0.04)).isEqualTo(new LastStepCoefficients(1, 0, 0.04, 0));
        assertThat(named("Tweedie").coefficients(c, 0.04)).isEqualTo(
                new LastStepCoefficients(1 / c.alpha(), 0, 0, c.sigma() * c.sigma() / c.alpha()));
    }
}
