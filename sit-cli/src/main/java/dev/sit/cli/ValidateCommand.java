package dev.sit.cli;

import dev.sit.core.config.ResolvedExperiment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sit validate FILE}: only the checks {@code sit run} makes before any heavy work. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check an experiment file without running it: unknown keys, types, ranges and plugin names,",
                "all reported at once with file, line and column. Exit code 0 when valid, 2 otherwise."})
public final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions experiment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ResolvedExperiment resolved = experiment.load(spec.commandLine());
        resolved.warnings().forEach(w -> System.err.println("warning: " + w));
        List<String> stages = new ArrayList<>();
        if (resolved.experiment().train() != null) {
            stages.add("train");
        }
        if (!resolved.experiment().sample().isEmpty()) {
            stages.add("sample");
        }
        System.out.println(experiment.file() + ": valid (experiment '" + resolved.experiment().name() + "', stages: "
                + (stages.isEmpty() ? "none" : String.join(", ", stages)) + ")");
        return 0;
    }
}
