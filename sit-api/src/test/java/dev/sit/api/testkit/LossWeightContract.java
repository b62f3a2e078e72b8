package dev.sit.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LossWeight} must satisfy on every path of {@link #paths()} at
 * {@link #interiorTimes()}: the weight is finite and non-negative inside (0, 1), and a weight
 * that says {@link LossWeight#isUniform()} is exactly 1 there.
 */
public abstract class LossWeightContract {

    /** The weight under test. */
    protected abstract LossWeight weight();

    /** The paths to check the weight on. */
    protected List<Interpolant> paths() {
        return ReferencePaths.all();
    }

    /** Times inside (0, 1). */
    protected double[] interiorTimes() {
        return ReferencePaths.interiorTimes();
    }

    @Test
    public void finiteAndNonNegativeInside() {
        LossWeight w = weight();
        for (Interpolant path : paths()) {
            for (double t : interiorTimes()) {
                double value = w.weight(path.at(t));
                assertTrue(Double.isFinite(value) && value >= 0,
                        () -> w + " on " + path + " at t = " + t + " is " + value + "; it must be finite and >= 0");
            }
        }
    }

    @Test
    public void aUniformWeightIsOne() {
        LossWeight w = weight();
        if (!w.isUniform()) {
            return;
        }
        for (Interpolant path : paths()) {
            for (double t : interiorTimes()) {
                assertEquals(1.0, w.weight(path.at(t)), () -> w + " says isUniform() but is not 1 at t = " + t);
            }
        }
    }
}
