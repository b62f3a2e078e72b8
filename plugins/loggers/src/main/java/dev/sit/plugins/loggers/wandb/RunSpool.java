package dev.sit.plugins.loggers.wandb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.plugins.loggers.ExtendedJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Everything the W&B logger was given, kept in the run folder so that nothing is lost when the
 * server cannot be reached: one folder per session under {@code wandb-spool/}, holding
 * {@code run.json} (the {@link SpoolHeader}), {@code events.jsonl} (one line per row, image and
 * finish, flushed per line), the images under their W&B paths ({@code media/images/...}),
 * {@code start.json} once the run exists on the server (offsets to continue with), and
 * {@code status.json} once everything was delivered. {@code sit wandb-sync} replays the
 * sessions not yet delivered.
 */
final class RunSpool {

    static final String HEADER = "run.json";
    static final String EVENTS = "events.jsonl";
    static final String START = "start.json";
    static final String STATUS = "status.json";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Path dir;
    private final Consumer<String> warn;
    private OutputStream events;
    private boolean failed;

    private RunSpool(Path dir, Consumer<String> warn) {
        this.dir = dir;
        this.warn = warn;
    }

    /** A new session folder {@code session-NNN} under {@code root}, with its header written. */
    static RunSpool create(Path root, SpoolHeader header, Consumer<String> warn) throws IOException {
        Files.createDirectories(root);
        int next = sessions(root).size() + 1;
        Path dir;
        while (true) {
            dir = root.resolve(String.format("session-%03d", next));
            try {
                Files.createDirectory(dir);
                break;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                next++;
            }
        }
        RunSpool spool = new RunSpool(dir, warn);
        writeJson(dir.resolve(HEADER), header);
        spool.events = Files.newOutputStream(dir.resolve(EVENTS), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return spool;
    }

    Path dir() {
        return dir;
    }

    /** Appends one event (and writes an image's bytes); failures are reported once, never thrown. */
    synchronized void append(SpoolEvent event) {
        if (failed) {
            return;
        }
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            if (event instanceof SpoolEvent.Row row) {
                line.put("type", "row");
                line.put("step", row.step());
                line.put("ts", row.timestamp());
                line.put("values", row.values());
            } else if (event instanceof SpoolEvent.Image image) {
                Path file = dir.resolve(image.path());
                Files.createDirectories(file.getParent());
                Files.write(file, image.png());
                line.put("type", "image");
                line.put("step", image.step());
                line.put("ts", image.timestamp());
                line.put("key", image.key());
                line.put("path", image.path());
                line.put("sha256", image.sha256());
                line.put("width", image.width());
                line.put("height", image.height());
                line.put("caption", image.caption());
            } else if (event instanceof SpoolEvent.Message message) {
                line.put("type", "message");
                line.put("ts", message.timestamp());
                line.put("text", message.text());
            } else if (event instanceof SpoolEvent.Finish finish) {
                line.put("type", "finish");
                line.put("exitcode", finish.exitCode());
            }
            events.write((ExtendedJson.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            events.flush();
        } catch (IOException | RuntimeException e) {
            failed = true;
            warn.accept("W&B: cannot write the spool " + dir + " (" + e.getMessage() + "); data the server does not get now is lost");
        }
    }

    /** Where the run stands on the server; a later sync continues with these offsets. */
    synchronized void writeStart(RunStart start) {
        writeStart(dir, start, warn);
    }

    static void writeStart(Path dir, RunStart start, Consumer<String> warn) {
        try {
            writeJson(dir.resolve(START), start);
        } catch (IOException e) {
            warn.accept("W&B: cannot write " + dir.resolve(START) + " (" + e.getMessage() + ")");
        }
    }

    /** Marks the session delivered (nothing left for sync) or not, with a sentence why. */
    synchronized void writeStatus(boolean delivered, String detail) {
        writeStatus(dir, delivered, detail, warn);
    }

    static void writeStatus(Path dir, boolean delivered, String detail, Consumer<String> warn) {
        try {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("delivered", delivered);
            status.put("detail", detail);
            writeJson(dir.resolve(STATUS), status);
        } catch (IOException e) {
            warn.accept("W&B: cannot write " + dir.resolve(STATUS) + " (" + e.getMessage() + ")");
        }
    }

    synchronized void close() {
        if (events != null) {
            try {
                events.close();
            } catch (IOException ignored) {
                // nothing more to write
            }
            events = null;
        }
    }

    /** The session folders under {@code root}, oldest first. */
    static List<Path> sessions(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("session-")).sorted().toList();
        }
    }

    /** A spooled session read back: header, events (with image bytes), start if reached, delivered flag. */
    record Session(Path dir, SpoolHeader header, List<SpoolEvent> events, Optional<RunStart> start, boolean delivered) {
    }

    static Session read(Path dir) throws IOException {
        SpoolHeader header = ExtendedJson.MAPPER.readValue(dir.resolve(HEADER).toFile(), SpoolHeader.class);
        List<SpoolEvent> events = new ArrayList<>();
        Path eventsFile = dir.resolve(EVENTS);
        if (Files.exists(eventsFile)) {
            for (String text : Files.readAllLines(eventsFile, StandardCharsets.UTF_8)) {
                if (text.isBlank()) {
                    continue;
                }
                JsonNode line;
                try {
                    line = ExtendedJson.MAPPER.readTree(text);
                } catch (IOException e) {
                    continue; // the half-written last line of a crash
                }
                switch (line.path("type").asText()) {
                    case "row" -> {
                        Map<String, Double> values = new LinkedHashMap<>();
                        line.path("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asDouble()));
                        events.add(new SpoolEvent.Row(line.path("step").asLong(), line.path("ts").asDouble(), values));
                    }
                    case "image" -> {
                        String path = line.path("path").asText();
                        byte[] png = Files.readAllBytes(dir.resolve(path));
                        events.add(new SpoolEvent.Image(line.path("step").asLong(), line.path("ts").asDouble(), line.path("key").asText(),
                                path, line.path("sha256").asText(), line.path("width").asInt(), line.path("height").asInt(),
                                line.path("caption").isTextual() ? line.path("caption").asText() : null, png));
                    }
                    case "message" -> events.add(new SpoolEvent.Message(line.path("ts").asDouble(), line.path("text").asText()));
                    case "finish" -> events.add(new SpoolEvent.Finish(line.path("exitcode").asInt()));
                    default -> {
                        // unknown lines from a newer version are skipped
                    }
                }
            }
        }
        Optional<RunStart> start = Files.exists(dir.resolve(START))
                ? Optional.of(ExtendedJson.MAPPER.readValue(dir.resolve(START).toFile(), RunStart.class))
                : Optional.empty();
        boolean delivered = Files.exists(dir.resolve(STATUS))
                && ExtendedJson.MAPPER.readTree(dir.resolve(STATUS).toFile()).path("delivered").asBoolean(false);
        return new Session(dir, header, events, start, delivered);
    }

    private static void writeJson(Path file, Object value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, ExtendedJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
