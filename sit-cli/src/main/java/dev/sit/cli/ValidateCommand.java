package dev.sit.cli;

import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.sweep.Sweep;
import dev.sit.core.sweep.SweepDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sit validate FILE}: only the checks {@code sit run} makes before any heavy work. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check an experiment file without running it: unknown keys, types, ranges and plugin names,",
                "all reported at once with file, line and column. Exit code 0 when valid, 2 otherwise.",
                "A sweep file (one with base:) is checked with every variant it would run."})
public final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions experiment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (java.nio.file.Files.isRegularFile(experiment.file())
                && SweepDefinition.isSweep(YamlDocument.read(experiment.file()))) {
            return validateSweep();
        }
        ResolvedExperiment resolved = experiment.load(spec.commandLine());
        resolved.warnings().forEach(w -> System.err.println("warning: " + w));
        List<String> stages = new ArrayList<>();
        if (resolved.experiment().train() != null) {
            stages.add("train");
        }
        if (!resolved.experiment().sample().isEmpty()) {
            stages.add("sample");
        }
        if (resolved.experiment().eval() != null) {
            stages.add("eval");
        }
        System.out.println(experiment.file() + ": valid (experiment '" + resolved.experiment().name() + "', stages: "
                + (stages.isEmpty() ? "none" : String.join(", ", stages)) + ")");
        return 0;
    }

    /** A sweep file: the sweep's own keys, then every variant as {@code sit sweep} would run it. */
    private int validateSweep() throws Exception {
        if (!experiment.overrides.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--set changes an experiment; "
                    + experiment.file() + " is a sweep: put overrides of every run under its set: key");
        }
        Sweep sweep = Sweep.read(experiment.file(), d -> new ExperimentLoader(experiment.plugins.commandLine(),
                PluginOptions.environment(), dev.sit.core.plugin.PluginRegistry::discover, Sweep.environment(d, System.getenv())));
        sweep.validate();
        SweepDefinition definition = sweep.definition();
        System.out.println(experiment.file() + ": valid (sweep '" + definition.name() + "', "
                + definition.variants().size() + " variants of " + definition.base() + ")");
        return 0;
    }
}
