package dev.sit.core.engine;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import dev.sit.core.config.ConfigException;
import dev.sit.core.config.ConfigProblem;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.SourceLocation;
import dev.sit.core.model.ComputeSettings;
import dev.sit.core.train.PeriodicSampler;
import dev.sit.core.train.RunFolder;
import dev.sit.core.transport.Transport;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.VaeNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the stages of a validated experiment in its run folder. Everything that can fail on the
 * user's input (missing VAE weights, a bad resume point) is checked before the run folder is made,
 * so such a failure leaves nothing behind. The composition root builds one injector from the
 * resolved experiment; then {@code train:} (with periodic EMA grids), every {@code sample:}
 * entry and {@code eval:} run in order; loggers see the whole run and its exit code.
 */
final class ExperimentRun {

    private ExperimentRun() {
    }

    static RunOutcome run(ResolvedExperiment resolved, RunListener listener) throws Exception {
        return run(resolved, listener, null);
    }

    /** As {@link #run(ResolvedExperiment, RunListener)}, with the training stage on a cluster when {@code training} is set. */
    static RunOutcome run(ResolvedExperiment resolved, RunListener listener, ClusterTraining.Placement training)
            throws Exception {
        Experiment e = resolved.experiment();
        if (e.train() == null && e.sample().isEmpty()) {
            listener.info("experiment '" + e.name() + "' has neither train: nor sample:; nothing to run");
            return new RunOutcome(Optional.empty(), 0, Double.NaN, Optional.empty());
        }
        ComputeSettings.apply();
        AutoencoderKl vae;
        try {
            vae = TrainStage.trainingVae(e, listener);
        } catch (VaeNotFoundException missing) {
            throw usage(resolved, "data.vae", missing.getMessage());
        }
        Injector injector = Guice.createInjector(new ExperimentModule(resolved, listener));
        injector.getInstance(Transport.class).ignoredWeightWarning().ifPresent(listener::warning);
        SampleStage sampling = e.sample().isEmpty() ? null : injector.getInstance(SampleStage.class);
        if (sampling != null) {
            try {
                sampling.checkDecodersAvailable();
            } catch (IllegalArgumentException missing) {
                throw usage(resolved, "sample.decode", missing.getMessage());
            }
        }
        Optional<ResumePoint> resume = ResumePoint.resolve(e, resolved.file(), listener);

        RunFolder folder = resume.flatMap(ResumePoint::runFolder).isPresent()
                ? resume.get().runFolder().get() : RunFolder.create(Path.of(e.resultsDir()), e.name());
        Files.createDirectories(folder.samples());
        Files.writeString(folder.experimentFile(), ExperimentTree.toYaml(resolved));
        listener.runStarted(folder.path());

        List<MetricsLogger> loggers = injector.getInstance(Key.get(new TypeLiteral<List<MetricsLogger>>() {
        }));
        long startStep = resume.map(ResumePoint::step).orElse(0L);
        RunContext context = new RunContext(folder.path().getFileName().toString(), folder.path(),
                ExperimentTree.toMap(resolved), startStep, resume.isPresent());
        for (MetricsLogger logger : loggers) {
            logger.start(context);
        }
        int exit = 1;
        try {
            TrainStage.Trained trained = null;
            if (e.train() != null) {
                PeriodicSampler periodic = sampling == null ? null : (step, ema) -> sampling.periodic(folder, step, ema);
                trained = training != null
                        ? injector.getInstance(TrainStage.class).runOnCluster(folder, resume, training)
                        : injector.getInstance(TrainStage.class).run(folder, resume, vae, periodic);
            }
            Map<String, INDArray> ema = trained == null ? null : trained.ema();
            // the step training reached, which an early stop or an epoch budget makes differ from max_steps
            long step = trained == null ? 0 : trained.result().steps();
            if (sampling != null) {
                sampling.run(folder, ema, step);
            }
            if (e.eval() != null) {
                injector.getInstance(EvalStage.class).run(folder, sampling, ema, step);
            }
            exit = 0;
            RunOutcome outcome = new RunOutcome(Optional.of(folder.path()),
                    trained == null ? 0 : trained.result().steps(),
                    trained == null ? Double.NaN : trained.result().lastLoss(),
                    trained == null ? Optional.empty() : trained.result().lastCheckpoint());
            listener.runFinished(outcome);
            return outcome;
        } catch (Exception | Error failure) {
            listener.runFailed(failure);
            throw failure;
        } finally {
            for (MetricsLogger logger : loggers) {
                logger.finish(exit);
            }
        }
    }

    private static ConfigException usage(ResolvedExperiment resolved, String key, String message) {
        return new ConfigException(List.of(new ConfigProblem(new SourceLocation(resolved.file().toString(), 0, 0), key,
                message)));
    }
}
