package dev.sit.plugins.loggers.wandb;

import java.util.Locale;
import java.util.Optional;

/**
 * What to do when a run with the id already exists on the server: {@code allow} continues it or
 * creates it, {@code must} continues it and fails if it does not exist, {@code never} fails if it
 * exists.
 */
public enum ResumeMode {
    ALLOW, MUST, NEVER;

    static Optional<ResumeMode> parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "allow", "auto", "true" -> Optional.of(ALLOW);
            case "must" -> Optional.of(MUST);
            case "never", "false" -> Optional.of(NEVER);
            default -> Optional.empty();
        };
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
