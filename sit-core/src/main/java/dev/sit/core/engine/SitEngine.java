package dev.sit.core.engine;

import com.google.inject.Guice;
import dev.sit.core.backend.CudaSupport;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.TrainSection;
import dev.sit.core.plugin.PluginPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The engine as a library: load and validate an experiment once, then run its stages with a
 * {@link RunListener} receiving what happens. The {@code sit} command, tests and other programs
 * call this and nothing else:
 *
 * <pre>{@code
 * SitEngine engine = SitEngine.withPluginPath(List.of());
 * ResolvedExperiment experiment = engine.load(Path.of("experiments/quickstart.yaml"), List.of("train.max_steps=50"));
 * RunOutcome outcome = engine.run(experiment, new RunListener() {
 *     public void stepLogged(long step, Map<String, Double> scalars) {
 *         System.out.println(step + " " + scalars.get("loss"));
 *     }
 * });
 * }</pre>
 *
 * Plugins come from the class path plus the given plugin folders and jars ({@code SIT_PLUGIN_PATH}
 * and the experiment's own {@code plugins:} are added by the loader).
 */
public final class SitEngine {

    private final ExperimentLoader loader;

    public SitEngine(ExperimentLoader loader) {
        this.loader = loader;
    }

    /** An engine whose plugins are the class path's, these folders or jars, and {@code SIT_PLUGIN_PATH}'s. */
    public static SitEngine withPluginPath(List<Path> plugins) {
        return new SitEngine(new ExperimentLoader(plugins, System.getenv(PluginPath.ENVIRONMENT_VARIABLE)));
    }

    /**
     * Reads, overrides ({@code key.path=value}, as {@code --set}) and validates an experiment:
     * every problem at once, with file, line and column.
     *
     * @throws dev.sit.core.config.ConfigException when the experiment cannot run
     */
    public ResolvedExperiment load(Path file, List<String> overrides) throws IOException {
        return loader.load(file, overrides);
    }

    /**
     * Runs the experiment's stages (train, then each sample: entry) in a new run folder under its
     * {@code results_dir} (or the run folder of the checkpoint it resumes).
     *
     * @throws dev.sit.core.config.ConfigException for problems of the user's input found before the run folder
     *                                             is made (nothing is written then)
     */
    public RunOutcome run(ResolvedExperiment experiment, RunListener listener) throws Exception {
        // before any work: on a GPU this ND4J build has no kernels for, the first op fails obscurely
        CudaSupport.requireSupported();
        return ExperimentRun.run(experiment, listener);
    }

    /**
     * As {@link #run(ResolvedExperiment, RunListener)}, with the training stage spread over a cluster
     * ({@link ClusterTraining}: one process per {@code train.replicas}); the sample and eval stages run
     * here, on the EMA of the last checkpoint. The run folder must be on a file system every process
     * of the cluster can read and replica 0's can write. {@code train.communicator} must join processes
     * (the cluster's own, e.g. {@code spark}, or {@code nccl}): {@code in-process} replicas are threads of one JVM.
     */
    public RunOutcome run(ResolvedExperiment experiment, RunListener listener, ClusterTraining.Placement training)
            throws Exception {
        if (experiment.experiment().train() != null && experiment.plugin(TrainStage.COMMUNICATOR_KEY,
                dev.sit.api.ExtensionPoint.COMMUNICATOR).name().equals(TrainSection.DEFAULT_COMMUNICATOR)) {
            throw new IllegalArgumentException("training on " + training.cluster().name() + " runs every replica in its "
                    + "own process, but train.communicator is " + TrainSection.DEFAULT_COMMUNICATOR + ", whose replicas "
                    + "are threads of one JVM: set train.communicator: " + training.cluster().name() + " (or nccl)");
        }
        CudaSupport.requireSupported();
        return ExperimentRun.run(experiment, listener, training);
    }

    /**
     * The sample stage of an experiment on its own (as {@code sit sample} uses it): run a {@code sample:}
     * entry with {@link SampleStage#run(int, java.util.Map, long, SampleOutputs)} into outputs of your choice.
     */
    public SampleStage sampleStage(ResolvedExperiment experiment, RunListener listener) {
        CudaSupport.requireSupported();
        dev.sit.core.model.ComputeSettings.apply();
        return Guice.createInjector(new ExperimentModule(experiment, listener)).getInstance(SampleStage.class);
    }
}
