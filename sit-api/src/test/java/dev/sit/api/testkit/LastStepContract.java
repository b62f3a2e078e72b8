package dev.sit.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.sampling.LastStep;
import dev.sit.api.sampling.LastStepCoefficients;
import dev.sit.api.transport.PathCoefficients;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LastStep} plugin must do: finite coefficients for {@code t1} inside (0, 1)
 * and the usual step sizes; and on the Linear path with data concentrated at one point {@code m},
 * where velocity and score are known exactly ({@code v = (m - x)/(1 - t)},
 * {@code s = (t m - x)/(1 - t)^2}) and the SDE drift is taken without diffusion ({@code f = v}),
 * a final step of size {@code h = 1 - t1} lands on {@code m} (or leaves {@code x} unchanged, for
 * rules that do not move).
 */
public abstract class LastStepContract {

    protected abstract LastStep lastStep();

    /** True for rules that move the state (all but "no last step"). */
    protected boolean moves() {
        return true;
    }

    @Test
    void hasFiniteCoefficientsInsideTheInterval() {
        for (double t1 = 0.5; t1 < 0.9995; t1 += 0.0499) {
            for (double h : new double[] {0, 0.01, 0.04}) {
                LastStepCoefficients c = lastStep().coefficients(ReferencePaths.linear().at(t1), h);
                assertThat(java.util.List.of(c.xCoefficient(), c.driftCoefficient(), c.velocityCoefficient(),
                        c.scoreCoefficient()))
                        .as("coefficients at t1 = %s, h = %s", t1, h)
                        .allMatch(Double::isFinite);
            }
        }
    }

    @Test
    void takesPointMassSamplesToTheData() {
        double m = 0.7;
        for (double x : new double[] {-1.3, 0.2, 2.5}) {
            for (double t1 : new double[] {0.96, 0.99}) {
                PathCoefficients c = ReferencePaths.linear().at(t1);
                double v = (m - x) / (1 - t1);
                double s = (t1 * m - x) / ((1 - t1) * (1 - t1));
                LastStepCoefficients k = lastStep().coefficients(c, 1 - t1);
                double result = k.xCoefficient() * x + k.driftCoefficient() * v + k.velocityCoefficient() * v
                        + k.scoreCoefficient() * s;
                assertThat(result).as("last step from x = %s at t1 = %s", x, t1)
                        .isCloseTo(moves() ? m : x, within(1e-9));
            }
        }
    }
}
