package dev.sit.core.engine;

import dev.sit.core.config.ConfigException;
import dev.sit.core.config.ConfigProblem;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.SourceLocation;
import dev.sit.core.train.CheckpointStore;
import dev.sit.core.train.ReferenceCheckpointImport;
import dev.sit.core.train.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where training continues from, resolved once before anything is written: {@code train.resume}
 * as a checkpoint folder, a run folder (its newest checkpoint), {@code latest} (the newest run of
 * this experiment with a checkpoint) or a reference {@code train.py} {@code .pt}. A sit checkpoint
 * is only looked at (its state.json) until training loads it; a reference {@code .pt} is read
 * once here, since its step lives inside it.
 *
 * @param checkpoint the checkpoint folder or .pt file
 * @param step       the step it was written at; training continues at step + 1
 * @param runFolder  the run folder the checkpoint belongs to (its run continues there), if any
 * @param reference  the reference's checkpoint, already read (empty for sit checkpoint folders)
 */
record ResumePoint(Path checkpoint, long step, Optional<RunFolder> runFolder,
                   Optional<CheckpointStore.Checkpoint> reference) {

    /** The resume point of the experiment, or empty to start from scratch. */
    static Optional<ResumePoint> resolve(Experiment e, Path experimentFile, RunListener listener) throws IOException {
        if (e.train() == null || e.train().resume() == null) {
            return Optional.empty();
        }
        String resume = e.train().resume();
        Path results = Path.of(e.resultsDir());
        Optional<Path> checkpoint;
        if (resume.equals("latest")) {
            Optional<RunFolder> latest = RunFolder.latestWithCheckpoint(results, e.name());
            if (latest.isEmpty()) {
                listener.info("no checkpoint of '" + e.name() + "' under " + results + " yet; starting from scratch");
                return Optional.empty();
            }
            checkpoint = new CheckpointStore(latest.get().checkpoints(), Integer.MAX_VALUE).latest();
        } else {
            Path path = Path.of(resume);
            if (Files.isDirectory(path.resolve("checkpoints"))) {
                checkpoint = new CheckpointStore(path.resolve("checkpoints"), Integer.MAX_VALUE).latest();
                if (checkpoint.isEmpty()) {
                    throw invalid(experimentFile, "the run folder " + resume + " has no complete checkpoint yet; give a "
                            + "checkpoint folder, another run folder, 'latest', or leave train.resume out");
                }
            } else if (!Files.exists(path)) {
                throw invalid(experimentFile, resume + " does not exist; give a checkpoint folder "
                        + "(results/NNN-name/checkpoints/0001000), a run folder, 'latest', or a reference train.py .pt");
            } else {
                checkpoint = Optional.of(path);
            }
        }
        if (checkpoint.isEmpty()) {
            return Optional.empty();
        }
        Path point = checkpoint.get();
        if (Files.isRegularFile(point)) {
            if (!point.getFileName().toString().endsWith(".pt")) {
                throw invalid(experimentFile, point + " is a file but not a reference .pt checkpoint; give a checkpoint "
                        + "folder, a run folder, 'latest', or a train.py .pt");
            }
            CheckpointStore.Checkpoint read;
            try {
                read = ReferenceCheckpointImport.read(point, e.seed());
            } catch (IOException notATrainingCheckpoint) {
                throw invalid(experimentFile, notATrainingCheckpoint.getMessage());
            }
            return Optional.of(new ResumePoint(point, read.state().step(), Optional.empty(), Optional.of(read)));
        }
        if (!Files.isRegularFile(point.resolve("state.json"))) {
            throw invalid(experimentFile, point + " is not a sit checkpoint folder (no state.json); give a checkpoint "
                    + "folder, a run folder, 'latest', or a reference train.py .pt");
        }
        long step = CheckpointStore.readState(point).step();
        Path parent = point.toAbsolutePath().getParent();
        Optional<RunFolder> run = parent != null && parent.getFileName().toString().equals("checkpoints")
                ? Optional.of(new RunFolder(parent.getParent())) : Optional.empty();
        return Optional.of(new ResumePoint(point, step, run, Optional.empty()));
    }

    /** The checkpoint's weights, EMA, optimizer state and position. */
    CheckpointStore.Checkpoint load() throws IOException {
        return reference.isPresent() ? reference.get() : CheckpointStore.read(checkpoint);
    }

    private static ConfigException invalid(Path experimentFile, String message) {
        return new ConfigException(java.util.List.of(new ConfigProblem(
                new SourceLocation(experimentFile.toString(), 0, 0), "train.resume", message)));
    }
}
