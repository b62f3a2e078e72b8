package dev.sit.plugins.interpolants;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** Options of the {@code sigma-floor} loss weight. */
public record SigmaFloorOptions(
        @Doc("sigma below which the loss weight falls as (sigma / floor)^2")
        @Range(min = 0, minExclusive = true, max = 1)
        Double floor) {

    public SigmaFloorOptions {
        floor = floor == null ? 0.5 : floor;
    }
}
