package dev.sit.plugins.loggers.wandb;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginContext;
import dev.sit.api.PluginFactory;
import dev.sit.api.logging.MetricsLogger;
import java.time.Clock;

/** Makes {@link WandbLogger}s that read the API key and settings from the host's environment. */
public final class WandbLoggerFactory implements PluginFactory<MetricsLogger, WandbOptions> {

    @Override
    public ExtensionPoint<MetricsLogger> extensionPoint() {
        return ExtensionPoint.METRICS_LOGGER;
    }

    @Override
    public String name() {
        return "wandb";
    }

    @Override
    public String description() {
        return "Weights & Biases over its HTTP API; spools to the run folder when offline (sit wandb-sync)";
    }

    @Override
    public Class<WandbOptions> optionsType() {
        return WandbOptions.class;
    }

    @Override
    public MetricsLogger create(WandbOptions options) {
        return new WandbLogger(options);
    }

    @Override
    public MetricsLogger create(WandbOptions options, PluginContext context) {
        return new WandbLogger(options, context.environment(), Pause.REAL, Clock.systemUTC(), System.err::println);
    }
}
