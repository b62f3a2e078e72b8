package dev.sit.plugins.loggers.wandb;

import java.time.Duration;

/** Waits between retries; tests pass one that records the waits instead of sleeping through them. */
@FunctionalInterface
public interface Pause {

    Pause REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
