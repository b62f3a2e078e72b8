package dev.sit.cli;

import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ResolvedExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** An experiment file with its {@code --set} overrides and plugin path. */
public final class ExperimentOptions {

    @Parameters(index = "0", paramLabel = "FILE", description = "experiment YAML file")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a setting, e.g. --set train.lr=2e-4 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Mixin
    PluginOptions plugins = new PluginOptions();

    public ResolvedExperiment load(CommandLine commandLine) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(commandLine, "experiment file " + file + " does not exist");
        }
        return new ExperimentLoader(plugins.commandLine(), PluginOptions.environment()).load(file, overrides);
    }

    public Path file() {
        return file;
    }
}
