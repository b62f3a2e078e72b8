package dev.sit.core.sweep;

import dev.sit.core.config.Overrides;
import java.util.List;

/**
 * One combination of a sweep: its label (names its run folder and its row) and its overrides, applied
 * after the sweep's shared {@code set:} overrides.
 */
public record SweepVariant(String label, List<SweepAssignment> assignments) {

    public SweepVariant {
        assignments = List.copyOf(assignments);
    }

    /** The assignments as experiment overrides, each remembering its place in the sweep file. */
    public Overrides overrides() {
        Overrides o = Overrides.none();
        for (SweepAssignment a : assignments) {
            o = a.appendTo(o);
        }
        return o;
    }
}
