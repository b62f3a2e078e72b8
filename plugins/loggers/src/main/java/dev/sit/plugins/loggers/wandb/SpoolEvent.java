package dev.sit.plugins.loggers.wandb;

import java.util.Map;

/** What the run logged, in order: the spool's journal lines and the sender's queue items. */
sealed interface SpoolEvent {

    /** Scalars of one step, logged at Unix time {@code timestamp} (seconds). */
    record Row(long step, double timestamp, Map<String, Double> values) implements SpoolEvent {
    }

    /**
     * A PNG under {@code key} at a step: its run-relative W&B path ({@code media/images/...}),
     * SHA-256 (hex), size in pixels and its bytes.
     */
    record Image(long step, double timestamp, String key, String path, String sha256, int width, int height,
            String caption, byte[] png) implements SpoolEvent {

        @Override
        public String toString() {
            return "Image[" + step + ", " + path + ", " + png.length + " bytes]";
        }
    }

    /** A line of progress text for the run's console log ({@code output.log}). */
    record Message(double timestamp, String text) implements SpoolEvent {
    }

    /** The run ended with this exit code. */
    record Finish(int exitCode) implements SpoolEvent {
    }
}
