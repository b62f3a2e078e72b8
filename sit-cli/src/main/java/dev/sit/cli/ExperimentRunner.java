package dev.sit.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.train.CheckpointStore;
import dev.sit.core.train.RunFolder;
import dev.sit.core.train.TrainingDivergedException;
import dev.sit.core.vae.AutoencoderKl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the stages of a validated experiment in its run folder: the composition root builds one
 * injector from the resolved experiment, then {@code train:} and every {@code sample:} entry run
 * in order; loggers see the whole run and its exit code.
 */
final class ExperimentRunner {

    private ExperimentRunner() {
    }

    static int run(ResolvedExperiment resolved) throws Exception {
        Experiment e = resolved.experiment();
        if (e.train() == null && e.sample().isEmpty()) {
            System.err.println("experiment '" + e.name() + "' has neither train: nor sample:; nothing to run");
            return 0;
        }
        dev.sit.core.model.ComputeSettings.apply();
        // before the run folder and the loggers: missing VAE weights stop the run with instructions, nothing written
        AutoencoderKl vae = TrainStage.trainingVae(e);
        Injector injector = Guice.createInjector(new ExperimentModule(resolved));
        if (!e.sample().isEmpty()) {
            injector.getInstance(SampleStage.class).checkDecodersAvailable();
        }
        Path results = Path.of(e.resultsDir());
        Optional<Path> resume = resumePoint(e, results);
        RunFolder folder = resume.isPresent() && resume.get().getParent() != null
                && resume.get().getParent().getFileName().toString().equals("checkpoints")
                ? new RunFolder(resume.get().getParent().getParent())
                : RunFolder.create(results, e.name());
        Files.createDirectories(folder.samples());
        Files.writeString(folder.experimentFile(), ExperimentTree.toYaml(resolved));
        System.err.println("run folder: " + folder.path());

        List<MetricsLogger> loggers = injector.getInstance(com.google.inject.Key.get(new com.google.inject.TypeLiteral<List<MetricsLogger>>() {
        }));
        long startStep = resume.isPresent() ? CheckpointStore.read(resume.get()).state().step() : 0;
        RunContext context = new RunContext(folder.path().getFileName().toString(), folder.path(), ExperimentTree.toMap(resolved), startStep, resume.isPresent());
        for (MetricsLogger logger : loggers) {
            logger.start(context);
        }
        int exit = 1;
        try {
            Map<String, INDArray> ema = null;
            if (e.train() != null) {
                ema = injector.getInstance(TrainStage.class).run(folder, resume, vae, null);
            }
            if (!e.sample().isEmpty()) {
                injector.getInstance(SampleStage.class).run(folder, ema, e.train() == null ? 0 : e.train().maxSteps() == null ? 0 : e.train().maxSteps());
            }
            exit = 0;
            return 0;
        } catch (TrainingDivergedException diverged) {
            System.err.println("error: " + diverged.getMessage());
            return 1;
        } finally {
            for (MetricsLogger logger : loggers) {
                logger.finish(exit);
            }
        }
    }

    /** The checkpoint to resume from: train.resume (a folder, 'latest', or a reference .pt), if any. */
    private static Optional<Path> resumePoint(Experiment e, Path results) throws IOException {
        if (e.train() == null || e.train().resume() == null) {
            return Optional.empty();
        }
        String resume = e.train().resume();
        if (resume.equals("latest")) {
            Optional<RunFolder> latest = RunFolder.latestWithCheckpoint(results, e.name());
            if (latest.isEmpty()) {
                System.err.println("no checkpoint of '" + e.name() + "' under " + results + " yet; starting from scratch");
                return Optional.empty();
            }
            return new CheckpointStore(latest.get().checkpoints(), Integer.MAX_VALUE).latest();
        }
        Path path = Path.of(resume);
        if (Files.isDirectory(path.resolve("checkpoints"))) {
            // a run folder: its newest checkpoint
            return new CheckpointStore(path.resolve("checkpoints"), Integer.MAX_VALUE).latest();
        }
        if (!Files.exists(path)) {
            throw new IOException("train.resume: " + resume + " does not exist (give a checkpoint folder, a run folder, or 'latest')");
        }
        return Optional.of(path);
    }
}
