package dev.sit.core.engine;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.Overrides;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.model.ComputeSettings;
import dev.sit.core.model.SitConfig;
import dev.sit.core.plugin.PluginPath;
import dev.sit.core.train.PeriodicSampler;
import dev.sit.core.train.RunFolder;
import dev.sit.core.transport.Transport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one process of a {@link ClusterTraining} job runs: replica {@code rank} of the request's
 * training. It loads the resolved experiment again (the same validation as the driver's), trains its
 * shard of every global batch with the experiment's communicator, and, for rank 0 only, writes the run
 * folder: checkpoints (atomically, as a local run does), sample grids, and the
 * {@link TrainingEventLog} the driver follows. Metrics loggers stay with the driver, which replays
 * the logged scalars and grid images to them.
 */
public final class ReplicaTraining {

    private ReplicaTraining() {
    }

    /**
     * Trains replica {@code rank} to the end (or throws, which fails the job for every replica), joined to
     * the others by the communicator the experiment chooses ({@code train.communicator}), made here
     * through its plugin factory.
     */
    public static void run(ClusterTraining.Request request, int rank) throws Exception {
        List<Path> plugins = request.plugins().stream().map(Path::of).toList();
        ResolvedExperiment resolved = new ExperimentLoader(plugins, System.getenv(PluginPath.ENVIRONMENT_VARIABLE))
                .load(Path.of("sit-run.yaml"), YamlDocument.parse("the resolved experiment of sit run --spark",
                        request.experimentYaml()), Overrides.none());
        ComputeSettings.apply();
        GradientCommunicator communicator = resolved.create(TrainStage.COMMUNICATOR_KEY, ExtensionPoint.COMMUNICATOR);
        RunFolder folder = new RunFolder(Path.of(request.runFolder()));
        TrainingEventLog.Writer events = rank == 0 ? TrainingEventLog.writer(folder.path().resolve(TrainingEventLog.FILE))
                : null;
        RunListener listener = events != null ? events : RunListener.NONE;
        Injector injector = Guice.createInjector(new ExperimentModule(resolved, listener));
        SitConfig config = injector.getInstance(SitConfig.class);
        Transport transport = injector.getInstance(Transport.class);
        PeriodicSampler periodic = null;
        if (rank == 0 && !resolved.experiment().sample().isEmpty()) {
            // the grids' images reach the driver's loggers through the event log
            SampleStage sampling = new SampleStage(resolved, config, transport, List.of(events), listener);
            periodic = (step, ema) -> sampling.periodic(folder, step, ema);
        }
        Optional<ResumePoint> resume = ResumePoint.resolve(resolved.experiment(), resolved.file(), listener);
        new TrainStage(resolved, config, transport, List.of(), listener)
                .run(folder, resume, TrainStage.trainingVae(resolved.experiment(), listener), periodic,
                        new TrainStage.ReplicaSlot(rank, communicator));
    }
}
