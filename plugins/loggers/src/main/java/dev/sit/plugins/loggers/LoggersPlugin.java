package dev.sit.plugins.loggers;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import dev.sit.plugins.loggers.wandb.WandbLoggerFactory;
import dev.sit.plugins.loggers.wandb.WandbOptions;
import java.util.List;

/** The bundled loggers: {@code console}, {@code metrics-file} and {@code wandb}. */
public final class LoggersPlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(
                PluginFactory.of(ExtensionPoint.METRICS_LOGGER, "console",
                        "progress lines as the reference prints them, to standard output and log.txt",
                        ConsoleLoggerOptions.class, ConsoleLogger::new),
                PluginFactory.of(ExtensionPoint.METRICS_LOGGER, "metrics-file",
                        "every logged step as a JSON line in metrics.jsonl, and a loss.png curve",
                        MetricsFileOptions.class, MetricsFileLogger::new),
                new WandbLoggerFactory());
    }
}
