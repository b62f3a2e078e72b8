package dev.sit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sit.api.ExtensionPoint;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.Overrides;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.TrainSection;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.engine.ClusterTraining;
import dev.sit.core.engine.SitEngine;
import java.util.List;
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

    @Option(names = "--spark", paramLabel = "MASTER", description = "run the training stage on Apache Spark as one "
            + "barrier stage of train.replicas tasks: local[N], spark://host:7077, yarn, ... (the sit-spark module; "
            + "./sit builds it on first use); the run folder must be on a file system every executor can reach")
    String spark;

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
        ExperimentLoader loader = new ExperimentLoader(experiment.plugins.commandLine(), PluginOptions.environment());
        ResolvedExperiment resolved = loader.load(experiment.file(), document, experiment.overrides);
        ClusterTraining.Placement placement = null;
        if (spark != null) {
            placement = onSpark(resolved);
            resolved = withSparkCommunicator(loader, document, resolved);
        }
        resolved.warnings().forEach(w -> System.err.println("warning: " + w));
        if (dryRun) {
            System.out.print(ExperimentTree.toYaml(resolved));
            return 0;
        }
        if (placement != null) {
            new SitEngine(loader).run(resolved, new ConsoleRunListener(System.err), placement);
            return 0;
        }
        new SitEngine(loader).run(resolved, new ConsoleRunListener(System.err));
        return 0;
    }

    /** Where the training stage goes with --spark; checked before anything runs. */
    private ClusterTraining.Placement onSpark(ResolvedExperiment resolved) {
        if (resolved.experiment().train() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--spark " + spark + " runs the training stage on "
                    + "Spark, but " + experiment.file() + " has no train: section; leave --spark out (sit sample "
                    + "--num-fid-samples N --spark shards mass sampling)");
        }
        int replicas = resolved.experiment().train().replicas();
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?").matcher(spark);
        if (local.matches()) {
            int cores = local.group(1) == null ? 1
                    : local.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(local.group(1));
            if (cores < replicas) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--spark " + spark + " offers " + cores
                        + " task slot(s) but train.replicas is " + replicas + ": the barrier stage needs one per replica; "
                        + "use --spark 'local[" + replicas + "]' or --set train.replicas=" + cores);
            }
        }
        ClusterTraining cluster = sparkModule();
        List<String> plugins = experiment.plugins.commandLine().stream().map(p -> p.toAbsolutePath().toString()).toList();
        return new ClusterTraining.Placement(cluster, spark, plugins);
    }

    /** The Spark implementation of the training stage, or a usage error saying how to get the sit-spark module. */
    private ClusterTraining sparkModule() {
        return ClusterTraining.find("spark").orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), "--spark " + spark + ": the sit-spark module and "
                        + "Apache Spark are not on the class path; run through ./sit, which builds them on first use of "
                        + "--spark, or with spark-submit as the README's \"Scaling out\" shows"));
    }

    /**
     * With --spark the replicas are Spark tasks: {@code spark} is the communicator unless the experiment (its
     * file or a --set, already applied to {@code document}) chooses another, which must not be {@code in-process}.
     */
    private ResolvedExperiment withSparkCommunicator(ExperimentLoader loader, YamlDocument document,
                                                     ResolvedExperiment resolved) {
        if (document.root().path("train").path("communicator").isMissingNode()) {
            return loader.load(experiment.file(), document, Overrides.none().with("train.communicator", "spark", "--spark"));
        }
        String communicator = resolved.plugin("train.communicator", ExtensionPoint.COMMUNICATOR).name();
        if (communicator.equals(TrainSection.DEFAULT_COMMUNICATOR)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--spark " + spark + " runs every replica as a "
                    + "Spark task, but " + experiment.file() + " (or its --set) chooses train.communicator: " + communicator
                    + ", whose replicas are threads of one JVM; leave train.communicator out (spark is the default with "
                    + "--spark), choose spark or nccl, or run without --spark");
        }
        return resolved;
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
