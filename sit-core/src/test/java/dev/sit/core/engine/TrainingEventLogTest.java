package dev.sit.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.logging.LoggedImage;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel from replica 0's process to the driver: what the writer gets, the follower replays to
 * the driver's listener and loggers, in order, once each; a line still being written waits; a
 * follower of a resumed run starts at the end of the earlier run's lines.
 */
class TrainingEventLogTest {

    @TempDir
    Path dir;

    /** Records every call as one line. */
    private static final class Recorder implements RunListener, MetricsLogger {
        final List<String> calls = new ArrayList<>();

        @Override public void stageStarted(Stage stage, String description, long total, long alreadyDone) {
            calls.add("started " + stage + " " + description + " " + total + " " + alreadyDone);
        }
        @Override public void progress(Stage stage, long done, String detail) { calls.add("progress " + done + " " + detail); }
        @Override public void stageFinished(Stage stage, String summary) { calls.add("finished " + summary); }
        @Override public void stepLogged(long step, Map<String, Double> scalars) {
            calls.add("listener logged " + step + " " + new java.util.TreeMap<>(scalars));
        }
        @Override public void checkpointWritten(long step, Path checkpoint) { calls.add("checkpoint " + step + " " + checkpoint); }
        @Override public void imageProduced(long step, Path file, String caption) { calls.add("image " + step + " " + file); }
        @Override public void info(String message) { calls.add("info " + message); }
        @Override public void warning(String message) { calls.add("warning " + message); }
        @Override public void start(RunContext run) { }
        @Override public void logScalars(long step, Map<String, Double> scalars) {
            calls.add("logger logged " + step + " " + new java.util.TreeMap<>(scalars));
        }
        @Override public void logImage(long step, LoggedImage image) {
            calls.add("logger image " + step + " " + image.key() + " " + image.width() + "x" + image.height() + " "
                    + java.util.Arrays.toString(image.png()) + " " + image.caption());
        }
        @Override public void finish(int exitCode) { }
    }

    @Test
    void theFollowerReplaysWhatTheWriterGotInOrderAndOnce() throws Exception {
        Path file = dir.resolve(TrainingEventLog.FILE);
        Files.writeString(file, "{\"event\":\"info\",\"message\":\"an earlier run\"}\n");
        TrainingEventLog.Follower follower = new TrainingEventLog.Follower(file);
        TrainingEventLog.Writer writer = TrainingEventLog.writer(file);
        Recorder driver = new Recorder();

        writer.stageStarted(Stage.TRAIN, "train", 20, 5);
        writer.progress(Stage.TRAIN, 6, "loss 0.5000");
        writer.progress(Stage.SAMPLE, 1, "not training's");
        writer.stepLogged(6, Map.of("loss", 0.5, "lr", 1e-3));
        writer.logImage(6, new LoggedImage("samples/ode-0-euler", new byte[] {1, 2, -3}, 38, 20, "step 6"));
        writer.checkpointWritten(6, dir.resolve("checkpoints/0000006"));
        follower.replay(driver, List.of(driver));
        writer.info("once");
        follower.replay(driver, List.of(driver));
        follower.replay(driver, List.of(driver));

        assertThat(driver.calls).containsExactly(
                "started TRAIN train 20 5",
                "progress 6 loss 0.5000",
                "logger logged 6 {loss=0.5, lr=0.001}",
                "listener logged 6 {loss=0.5, lr=0.001}",
                "logger image 6 samples/ode-0-euler 38x20 [1, 2, -3] step 6",
                "checkpoint 6 " + dir.resolve("checkpoints/0000006"),
                "info once");
        assertThat(follower.lastCheckpoint()).contains(dir.resolve("checkpoints/0000006"));
    }

    @Test
    void aLineStillBeingWrittenWaitsForTheNextReplay() throws Exception {
        Path file = dir.resolve(TrainingEventLog.FILE);
        TrainingEventLog.Follower follower = new TrainingEventLog.Follower(file);
        Recorder driver = new Recorder();
        follower.replay(driver, List.of());
        Files.writeString(file, "{\"event\":\"info\",\"mess", StandardCharsets.UTF_8, StandardOpenOption.CREATE);
        follower.replay(driver, List.of());
        assertThat(driver.calls).isEmpty();
        Files.writeString(file, "age\":\"whole\"}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        follower.replay(driver, List.of());
        assertThat(driver.calls).containsExactly("info whole");
    }
}
