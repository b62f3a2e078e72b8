package dev.sit.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sit.core.io.CheckpointFormatException;
import dev.sit.core.io.SafetensorsFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checkpoints of a run: one folder per step ({@code 0001000/}) holding
 * {@code model.safetensors}, {@code ema.safetensors}, {@code optimizer.safetensors},
 * {@code state.json} and {@code experiment.yaml}. A checkpoint is written into a temporary
 * folder, flushed to disk, then renamed in one atomic step, so that killing the process at any
 * moment leaves every visible checkpoint complete. Only the newest {@code keep} are kept.
 */
public final class CheckpointStore {

    private static final Pattern STEP_FOLDER = Pattern.compile("\\d{7,}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final int keep;

    public CheckpointStore(Path folder, int keep) {
        this.folder = folder;
        this.keep = keep;
    }

    /** One checkpoint's contents. */
    public record Checkpoint(Path path, Map<String, INDArray> model, Map<String, INDArray> ema,
                             Map<String, INDArray> optimizer, TrainingState state, String experimentYaml) {
    }

    public Path write(TrainingState state, Map<String, INDArray> model, Map<String, INDArray> ema,
                      Map<String, INDArray> optimizer, String experimentYaml) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(String.format("%07d", state.step()));
        Path temporary = folder.resolve(".tmp-" + target.getFileName() + "-" + UUID.randomUUID());
        Files.createDirectory(temporary);
        try {
            Map<String, String> meta = Map.of("format", "sit-checkpoint", "step", Long.toString(state.step()));
            SafetensorsFile.write(temporary.resolve("model.safetensors"), model, meta);
            SafetensorsFile.write(temporary.resolve("ema.safetensors"), ema, meta);
            SafetensorsFile.write(temporary.resolve("optimizer.safetensors"), optimizer, meta);
            writeSynced(temporary.resolve("experiment.yaml"), experimentYaml);
            // state.json last: a folder is a checkpoint only when it has one
            writeSynced(temporary.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
            syncDirectory(temporary);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + folder + " cannot rename atomically; checkpoints need it", e);
            }
            syncDirectory(folder);
        } catch (IOException | RuntimeException e) {
            deleteTree(temporary);
            throw e;
        }
        prune();
        return target;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() throws IOException {
        List<Path> all = complete();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Reads only a checkpoint folder's state.json: its step, data position and seed. */
    public static TrainingState readState(Path checkpoint) throws IOException {
        Path stateFile = checkpoint.resolve("state.json");
        if (!Files.isRegularFile(stateFile)) {
            throw new CheckpointFormatException(checkpoint + " is not a sit checkpoint folder (no state.json)");
        }
        return JSON.readValue(stateFile.toFile(), TrainingState.class);
    }

    /** Reads a checkpoint folder (or fails with a message naming the bad file). */
    public static Checkpoint read(Path checkpoint) throws IOException {
        TrainingState state = readState(checkpoint);
        return new Checkpoint(checkpoint,
                SafetensorsFile.read(checkpoint.resolve("model.safetensors")),
                SafetensorsFile.read(checkpoint.resolve("ema.safetensors")),
                SafetensorsFile.read(checkpoint.resolve("optimizer.safetensors")),
                state,
                Files.readString(checkpoint.resolve("experiment.yaml")));
    }

    /** Complete checkpoint folders, oldest first; leftovers of interrupted writes are removed. */
    private List<Path> complete() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(p -> STEP_FOLDER.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve("state.json")))
                    .sorted(Comparator.comparing(p -> Long.parseLong(p.getFileName().toString())))
                    .toList();
        }
    }

    private void prune() throws IOException {
        List<Path> all = complete();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i));
        }
        try (Stream<Path> children = Files.list(folder)) {
            for (Path leftover : children.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                deleteTree(leftover);
            }
        }
    }

    private static void writeSynced(Path file, String text) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // not every platform can sync a directory; the rename is still atomic
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
