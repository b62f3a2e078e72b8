package dev.sit.core.sweep;

import java.util.Map;

/**
 * What one finished run of a sweep gave, as saved in {@code <sweep>/runs/<label>.json} (its presence
 * marks the run finished, so a re-run of the sweep skips it).
 *
 * @param label     the variant's label
 * @param values    the swept keys' values as text, by key
 * @param metric    the compared metric's value (NaN when the run did not report it)
 * @param scalars   every scalar of the run: its eval.json numbers, then its last logged training scalars
 *                  and {@code final_loss}, {@code steps}, {@code seconds}
 * @param runFolder the run folder
 */
public record SweepRunResult(String label, Map<String, String> values, double metric, Map<String, Double> scalars,
                             String runFolder) {
}
