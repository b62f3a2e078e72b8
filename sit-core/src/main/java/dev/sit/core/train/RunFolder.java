package dev.sit.core.train;

import dev.sit.core.io.FileSystemFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's folder {@code <results>/NNN-<name>/} with the resolved {@code experiment.yaml},
 * {@code log.txt}, {@code metrics.jsonl}, {@code samples/} and {@code checkpoints/}. NNN counts
 * up over all runs in the results folder, as the reference's does.
 */
public record RunFolder(Path path) {

    private static final Pattern RUN = Pattern.compile("(\\d{3,})-(.+)");

    /** The experiment key that names the results folder, for messages. */
    private static final String SETTING = "results_dir";

    /**
     * A new folder with the next free number. A results folder that cannot be used (a file, not
     * writable, a full disk) is reported in plain words naming {@code results_dir}.
     */
    public static RunFolder create(Path results, String experimentName) throws IOException {
        try {
            if (Files.exists(results) && !Files.isDirectory(results)) {
                throw new java.nio.file.NotDirectoryException(results.toString());
            }
            return createNumbered(results, experimentName);
        } catch (IOException e) {
            Exception translated = FileSystemFailure.translate(e, SETTING);
            if (translated instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static RunFolder createNumbered(Path results, String experimentName) throws IOException {
        Files.createDirectories(results);
        int next = 0;
        try (Stream<Path> runs = Files.list(results)) {
            next = runs.map(p -> RUN.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)) + 1)
                    .max().orElse(0);
        }
        while (true) {
            Path candidate = results.resolve(String.format("%03d-%s", next, experimentName));
            try {
                Files.createDirectory(candidate);
                RunFolder folder = new RunFolder(candidate);
                Files.createDirectories(folder.samples());
                Files.createDirectories(folder.checkpoints());
                return folder;
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                next++;
            }
        }
    }

    /** The newest run folder of this experiment that holds a checkpoint, if any. */
    public static Optional<RunFolder> latestWithCheckpoint(Path results, String experimentName) throws IOException {
        if (!Files.isDirectory(results)) {
            return Optional.empty();
        }
        try (Stream<Path> runs = Files.list(results)) {
            return runs.filter(p -> {
                        Matcher m = RUN.matcher(p.getFileName().toString());
                        return m.matches() && m.group(2).equals(experimentName);
                    })
                    .sorted(Comparator.comparing((Path p) -> Integer.parseInt(RUN.matcher(p.getFileName().toString()).replaceAll("$1"))).reversed())
                    .map(RunFolder::new)
                    .filter(RunFolder::hasCheckpoint)
                    .findFirst();
        }
    }

    private static boolean hasCheckpoint(RunFolder folder) {
        try {
            return new CheckpointStore(folder.checkpoints(), Integer.MAX_VALUE).latest().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    public Path experimentFile() {
        return path.resolve("experiment.yaml");
    }

    public Path samples() {
        return path.resolve("samples");
    }

    public Path checkpoints() {
        return path.resolve("checkpoints");
    }
}
