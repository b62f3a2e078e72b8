package dev.sit.plugins.interpolants;

import static org.assertj.core.api.Assertions.fail;

/**
 * The golden comparison rule: {@code |actual - expected| <= atol + rtol |expected|} where the
 * expected value is finite; where it is NaN or infinite the actual value must be non-finite too.
 */
record Tolerance(double rtol, double atol) {

    boolean accepts(double actual, double expected) {
        if (!Double.isFinite(expected)) {
            return !Double.isFinite(actual);
        }
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    void check(String what, double actual, double expected) {
        if (!accepts(actual, expected)) {
            fail("%s: got %s, expected %s (rtol %s, atol %s)", what, actual, expected, rtol, atol);
        }
    }

    void check(String what, double[] actual, double[] expected) {
        if (actual.length != expected.length) {
            fail("%s: %d values, expected %d", what, actual.length, expected.length);
        }
        int bad = 0;
        int first = -1;
        for (int i = 0; i < actual.length; i++) {
            if (!accepts(actual[i], expected[i])) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            fail("%s: %d of %d values outside rtol %s / atol %s; first at flat index %d: got %s, expected %s",
                    what, bad, actual.length, rtol, atol, first, actual[first], expected[first]);
        }
    }
}
