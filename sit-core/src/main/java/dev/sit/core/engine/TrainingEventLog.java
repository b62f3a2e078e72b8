package dev.sit.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sit.api.logging.LoggedImage;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training stage's events as JSON lines in the run folder ({@code train-events.jsonl}), the
 * channel from the process of replica 0 (on a cluster) to the process that runs the command: the
 * writer appends one line per event, the follower reads the lines added
 * since it started and replays them to the command's listener and loggers. A file rather than an RPC
 * because the run folder is shared already (checkpoints live there) and because the cluster's
 * accumulators reach the driver only when a task ends.
 */
public final class TrainingEventLog {

    /** The file in a run folder. */
    public static final String FILE = "train-events.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingEventLog() {
    }

    /**
     * Appends the training events it gets to {@code file} (one flushed line each): as the listener of
     * replica 0's training, and as the one metrics logger of its periodic grids (whose PNGs travel in
     * the line, base64, for the driver's loggers).
     */
    public static Writer writer(Path file) {
        return new Writer(file);
    }

    /** See {@link #writer}. */
    public static final class Writer implements RunListener, MetricsLogger {
        private final Path file;

        private Writer(Path file) {
            this.file = file;
        }

        @Override
        public void stageStarted(Stage stage, String description, long total, long alreadyDone) {
            write(event("started").put("description", description).put("total", total).put("done", alreadyDone));
        }

        @Override
        public void progress(Stage stage, long done, String detail) {
            if (stage == Stage.TRAIN) {
                write(event("progress").put("step", done).put("detail", detail));
            }
        }

        @Override
        public void stageFinished(Stage stage, String summary) {
            write(event("finished").put("summary", summary));
        }

        @Override
        public void stepLogged(long step, Map<String, Double> scalars) {
            ObjectNode e = event("logged").put("step", step);
            ObjectNode values = e.putObject("scalars");
            scalars.forEach(values::put);
            write(e);
        }

        @Override
        public void imageProduced(long step, Path image, String caption) {
            write(event("image").put("step", step).put("path", image.toString()).put("caption", caption));
        }

        @Override
        public void checkpointWritten(long step, Path checkpoint) {
            write(event("checkpoint").put("step", step).put("path", checkpoint.toString()));
        }

        @Override
        public void info(String message) {
            write(event("info").put("message", message));
        }

        @Override
        public void warning(String message) {
            write(event("warning").put("message", message));
        }

        // ---- as the metrics logger of the periodic grids (the driver's loggers get the scalars from stepLogged)

        @Override
        public void start(RunContext run) {
        }

        @Override
        public void logScalars(long step, Map<String, Double> scalars) {
        }

        @Override
        public void logImage(long step, LoggedImage image) {
            write(event("logged-image").put("step", step).put("key", image.key()).put("width", image.width())
                    .put("height", image.height()).put("caption", image.caption()).put("png", image.png()));
        }

        @Override
        public void finish(int exitCode) {
        }

        private synchronized void write(ObjectNode event) {
            try {
                Files.writeString(file, JSON.writeValueAsString(event) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the training event log " + file, e);
            }
        }
    }

    private static ObjectNode event(String kind) {
        return JSON.createObjectNode().put("event", kind);
    }

    /** Replays the lines another process appends to a log, from the end it had when the follower was made. */
    public static final class Follower {
        private final Path file;
        private long offset;
        private Optional<Path> lastCheckpoint = Optional.empty();

        public Follower(Path file) throws IOException {
            this.file = file;
            this.offset = Files.exists(file) ? Files.size(file) : 0;
        }

        /** The last checkpoint the log announced since this follower started, if any. */
        public Optional<Path> lastCheckpoint() {
            return lastCheckpoint;
        }

        /** Replays the complete lines added since the last call. */
        public void replay(RunListener listener, List<MetricsLogger> loggers) throws IOException {
            if (!Files.exists(file)) {
                return;
            }
            byte[] added;
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                if (length <= offset) {
                    return;
                }
                added = new byte[(int) (length - offset)];
                in.seek(offset);
                in.readFully(added);
            }
            int end = added.length;
            while (end > 0 && added[end - 1] != '\n') {
                end--; // a line still being written waits for the next call
            }
            offset += end;
            for (String line : new String(added, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    dispatch(JSON.readTree(line), listener, loggers);
                }
            }
        }

        private void dispatch(JsonNode e, RunListener listener, List<MetricsLogger> loggers) {
            switch (e.path("event").asText()) {
                case "started" -> listener.stageStarted(Stage.TRAIN, e.path("description").asText(),
                        e.path("total").asLong(), e.path("done").asLong());
                case "progress" -> listener.progress(Stage.TRAIN, e.path("step").asLong(), e.path("detail").asText());
                case "finished" -> listener.stageFinished(Stage.TRAIN, e.path("summary").asText());
                case "logged" -> {
                    Map<String, Double> scalars = new LinkedHashMap<>();
                    e.path("scalars").fields().forEachRemaining(f -> scalars.put(f.getKey(), f.getValue().asDouble()));
                    for (MetricsLogger logger : loggers) {
                        logger.logScalars(e.path("step").asLong(), scalars);
                    }
                    listener.stepLogged(e.path("step").asLong(), Map.copyOf(scalars));
                }
                case "image" -> listener.imageProduced(e.path("step").asLong(), Path.of(e.path("path").asText()),
                        e.path("caption").asText());
                case "checkpoint" -> {
                    lastCheckpoint = Optional.of(Path.of(e.path("path").asText()));
                    listener.checkpointWritten(e.path("step").asLong(), lastCheckpoint.get());
                }
                case "logged-image" -> {
                    LoggedImage image;
                    try {
                        image = new LoggedImage(e.path("key").asText(), e.path("png").binaryValue(),
                                e.path("width").asInt(), e.path("height").asInt(),
                                e.hasNonNull("caption") ? e.path("caption").asText() : null);
                    } catch (IOException notBase64) {
                        throw new UncheckedIOException("a damaged image line in the training event log " + file,
                                notBase64);
                    }
                    for (MetricsLogger logger : loggers) {
                        logger.logImage(e.path("step").asLong(), image);
                    }
                }
                case "info" -> listener.info(e.path("message").asText());
                case "warning" -> listener.warning(e.path("message").asText());
                default -> {
                    // a newer writer's event: nothing to show
                }
            }
        }
    }
}
