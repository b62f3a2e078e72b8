package dev.sit.cli;

import dev.sit.core.io.InvalidInputException;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.model.SitConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --experiment FILE}: the network of an experiment's {@code model:} section (flags still override it). */
public final class ExperimentModelOption {

    @Option(names = "--experiment", paramLabel = "FILE",
            description = "take the model settings from this experiment's model: section (other flags override them)")
    Path experiment;

    /** The experiment's model, or null when no experiment was given. */
    SitConfig baseConfig() throws IOException {
        if (experiment == null) {
            return null;
        }
        if (!Files.isRegularFile(experiment)) {
            throw new InvalidInputException("--experiment " + experiment + " does not exist");
        }
        return SitConfig.from(new ExperimentLoader(List.of(), PluginOptions.environment())
                .load(experiment, List.of()).experiment().model());
    }
}
