package dev.sit.core.model;

import java.util.Locale;

/**
 * Classifier-free guidance settings: {@code guided = uncond + scale * (cond - uncond)} on the chosen
 * channels, applied only while the sample's time lies in {@code [intervalLow, intervalHigh]}; outside
 * it the plain conditional output is used (scale 1).
 *
 * @param scale        the guidance scale s (1 = no guidance)
 * @param channels     which channels are guided
 * @param intervalLow  lowest t that is guided (inclusive)
 * @param intervalHigh highest t that is guided (inclusive)
 */
public record Guidance(double scale, Channels channels, double intervalLow, double intervalHigh) {

    /** Which output channels guidance changes. */
    public enum Channels {
        /** The reference's rule: channels [0, 3) only; the rest pass through from each half's output. */
        FIRST3,
        /** Standard classifier-free guidance on every channel. */
        ALL;

        /** Parses {@code first3} or {@code all}. */
        public static Channels parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "first3" -> FIRST3;
                case "all" -> ALL;
                default -> throw new IllegalArgumentException("guidance channels must be 'first3' (the reference's "
                        + "rule) or 'all', got '" + s + "'");
            };
        }
    }

    public Guidance {
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("guidance scale must be finite, got " + scale);
        }
        if (channels == null) {
            throw new IllegalArgumentException("guidance channels must be given (first3 or all)");
        }
        if (Double.isNaN(intervalLow) || Double.isNaN(intervalHigh) || intervalLow > intervalHigh) {
            throw new IllegalArgumentException("guidance interval must have low <= high, got [" + intervalLow + ", "
                    + intervalHigh + "]");
        }
    }

    /** The reference's guidance: scale s on the first three channels at every t. */
    public static Guidance reference(double scale) {
        return new Guidance(scale, Channels.FIRST3, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Guidance at every t. */
    public static Guidance of(double scale, Channels channels) {
        return new Guidance(scale, channels, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** The same settings guided only for t in [low, high]. */
    public Guidance withInterval(double low, double high) {
        return new Guidance(scale, channels, low, high);
    }

    /** The scale in effect at time t: {@code scale} inside the interval, 1 outside. */
    public double scaleAt(double t) {
        return t >= intervalLow && t <= intervalHigh ? scale : 1.0;
    }
}
