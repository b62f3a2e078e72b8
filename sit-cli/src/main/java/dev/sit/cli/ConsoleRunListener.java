package dev.sit.cli;

import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.RunOutcome;
import dev.sit.core.engine.Stage;
import dev.sit.core.progress.ProgressBar;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run's events on the console: a progress bar per stage (training's periodic grids get
 * their own while the training bar stays), one line per message and file. Step scalars are left
 * to the console logger, which prints the reference's lines.
 */
final class ConsoleRunListener implements RunListener {

    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final Map<Stage, ProgressBar> bars = new EnumMap<>(Stage.class);

    ConsoleRunListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void runStarted(Path runFolder) {
        out.println("run folder: " + runFolder);
    }

    @Override
    public void stageStarted(Stage stage, String description, long total, long alreadyDone) {
        close(stage);
        if (total > 1) {
            bars.put(stage, new ProgressBar(stage.name().toLowerCase(Locale.ROOT), total, alreadyDone, out, terminal));
        }
    }

    @Override
    public void progress(Stage stage, long done, String detail) {
        ProgressBar bar = bars.get(stage);
        if (bar != null) {
            bar.update(done, detail);
        }
    }

    @Override
    public void stageFinished(Stage stage, String summary) {
        close(stage);
        line(summary);
    }

    @Override
    public void imageProduced(long step, Path file, String caption) {
        line("sample grid: " + file);
    }

    @Override
    public void checkpointWritten(long step, Path checkpoint) {
        // the console logger and the final summary name checkpoints; nothing to add per checkpoint
    }

    @Override
    public void fileWritten(Path file, String what) {
        line(what + ": " + file);
    }

    @Override
    public void info(String message) {
        line(message);
    }

    @Override
    public void warning(String message) {
        line("warning: " + message);
    }

    @Override
    public void runFinished(RunOutcome outcome) {
        closeAll();
    }

    @Override
    public void runFailed(Throwable error) {
        closeAll();
    }

    /** A message line; on a terminal it first clears a bar being redrawn on the current line. */
    private void line(String text) {
        out.println(terminal && !bars.isEmpty() ? "\r\u001b[K" + text : text);
    }

    private void close(Stage stage) {
        ProgressBar bar = bars.remove(stage);
        if (bar != null) {
            bar.close();
        }
    }

    private void closeAll() {
        for (Stage stage : Stage.values()) {
            close(stage);
        }
    }
}
