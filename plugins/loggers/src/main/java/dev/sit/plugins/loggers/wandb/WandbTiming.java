package dev.sit.plugins.loggers.wandb;

import java.time.Duration;

/** The sender's clockwork: batching, heartbeat, how long start and finish wait, retry back-off. */
public record WandbTiming(
        Duration transmitInterval,
        Duration heartbeat,
        Duration initTimeout,
        Duration finishTimeout,
        Duration retryMin,
        Duration retryMax) {

    static WandbTiming of(WandbOptions o) {
        return new WandbTiming(seconds(o.transmitIntervalSeconds()), seconds(o.heartbeatSeconds()),
                seconds(o.initTimeoutSeconds()), seconds(o.finishTimeoutSeconds()),
                seconds(o.retryMinSeconds()), seconds(o.retryMaxSeconds()));
    }

    static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
