package dev.sit.core.config;

import dev.sit.api.Doc;
import java.util.List;

/**
 * One experiment file: what to build, train and sample. Stages run when their section is
 * present ({@code train:}, every entry of {@code sample:}, then {@code eval:}). See {@code experiments/quickstart.yaml}.
 */
public record Experiment(
        @Doc("experiment name: names the run folder results/NNN-<name>/ and the W&B run") String name,
        @Doc("seed of everything random (data order, noise, initialisation)") Long seed,
        @Doc("the SiT network") ModelSection model,
        @Doc("interpolant, prediction target and loss weight") TransportSection transport,
        @Doc("training data") DataSection data,
        @Doc("the training stage; absent = no training") TrainSection train,
        @Doc("the sampling stage: one sampler setting or a list (e.g. ODE then SDE); absent = no sampling") List<SampleSection> sample,
        @Doc("the evaluation stage (FID, sFID, IS, precision, recall against a reference); absent = no evaluation") EvalSection eval,
        @Doc("metrics loggers (console, metrics-file, wandb, or plugins)") List<PluginChoice> loggers,
        @Doc("extra plugin jars or folders") List<String> plugins,
        @Doc("folder that holds the run folders") String resultsDir) {

    public Experiment {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: is required (it names the run folder), e.g. name: my-experiment");
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name '" + name + "' may only use letters, digits, '.', '_' and '-' (it names a folder)");
        }
        seed = seed == null ? 0L : seed;
        model = model == null ? new ModelSection(null, null, null, null, null, null, null, null, null, null, null, null) : model;
        transport = transport == null ? new TransportSection(null, null, null, null, null, null, null) : transport;
        data = data == null ? new DataSection(null, null, null) : data;
        loggers = loggers == null
                ? List.of(PluginChoice.named("console"), PluginChoice.named("metrics-file"))
                : List.copyOf(loggers);
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
        sample = sample == null ? List.of() : List.copyOf(sample);
        resultsDir = resultsDir == null ? "results" : resultsDir;
    }
}
