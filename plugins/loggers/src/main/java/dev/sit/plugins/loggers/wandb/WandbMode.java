package dev.sit.plugins.loggers.wandb;

import java.util.Locale;
import java.util.Optional;

/** Whether the W&B logger talks to the server, only spools for a later {@code sit wandb-sync}, or does nothing. */
public enum WandbMode {
    ONLINE, OFFLINE, DISABLED;

    /** The mode for a setting, with the SDK's aliases {@code run} = online and {@code dryrun} = offline. */
    static Optional<WandbMode> parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "online", "run" -> Optional.of(ONLINE);
            case "offline", "dryrun" -> Optional.of(OFFLINE);
            case "disabled" -> Optional.of(DISABLED);
            default -> Optional.empty();
        };
    }
}
