package dev.sit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sit.core.backend.CudaSupport;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.YamlDocument;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sit run FILE}: validate, then run the experiment's stages (train, then sample). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment: validate it, make results/NNN-<name>/, then train and/or sample",
                "as its train: and sample: sections say."})
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions experiment;

    @Option(names = "--dry-run", description = "print the resolved experiment (defaults filled in, secrets redacted) and stop")
    boolean dryRun;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", arity = "0..1", fallbackValue = "latest",
            description = "resume training from a checkpoint folder (default: the latest of this experiment)")
    String resume;

    @Option(names = "--wandb", description = "add the Weights & Biases logger to the experiment's loggers")
    boolean wandb;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(experiment.file())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "experiment file " + experiment.file() + " does not exist");
        }
        YamlDocument document = YamlDocument.read(experiment.file());
        if (wandb) {
            addWandbLogger(document);
        }
        if (resume != null) {
            experiment.overrides.add("train.resume=" + resume);
        }
        ResolvedExperiment resolved = new ExperimentLoader(experiment.plugins.commandLine(), PluginOptions.environment())
                .load(experiment.file(), document, experiment.overrides);
        resolved.warnings().forEach(w -> System.err.println("warning: " + w));
        if (dryRun) {
            System.out.print(ExperimentTree.toYaml(resolved));
            return 0;
        }
        // before any work: an unsupported GPU fails in its first kernel with an obscure native error
        CudaSupport.requireSupported();
        return ExperimentRunner.run(resolved);
    }

    private static void addWandbLogger(YamlDocument document) {
        ObjectNode root = document.root();
        ArrayNode loggers;
        if (root.get("loggers") instanceof ArrayNode existing) {
            loggers = existing;
        } else {
            loggers = root.putArray("loggers");
            loggers.add("console");
            loggers.add("metrics-file");
        }
        boolean present = false;
        for (var node : loggers) {
            String name = node.isTextual() ? node.asText() : node.path("name").asText();
            present |= name.equalsIgnoreCase("wandb");
        }
        if (!present) {
            loggers.add("wandb");
        }
    }
}
