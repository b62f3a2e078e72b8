package dev.sit.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads SiT weights in the reference's layout from any file a user may name: a reference
 * {@code .pt} (bare state dict or {@code train.py} checkpoint), a {@code .safetensors} file, or a
 * sit checkpoint folder. For sampling a training checkpoint gives its EMA weights, for training
 * (initial weights) its model weights.
 */
public final class WeightsFile {

    private WeightsFile() {
    }

    /**
     * The weights to sample from: a checkpoint's EMA, else the file's state dict.
     *
     * @param fit what a {@code .pt} must declare before any of its storage is unpacked (null: no check)
     */
    public static Map<String, INDArray> forSampling(Path path, StateDictFit fit) throws IOException {
        return read(path, true, fit);
    }

    /** The weights to start training from: a checkpoint's model, else the file's state dict (fit as above). */
    public static Map<String, INDArray> forTraining(Path path, StateDictFit fit) throws IOException {
        return read(path, false, fit);
    }

    /**
     * The weights to sample from (as {@link #forSampling}), opened to be read one tensor at a time:
     * a safetensors file or checkpoint folder straight from the file, a zip-format {@code .pt} one
     * storage at a time after its pickle was checked against {@code fit}. Loading a model from it
     * never holds a second full copy of the weights. Close it when done.
     */
    public static TensorSource openForSampling(Path path, StateDictFit fit) throws IOException {
        return open(path, true, fit);
    }

    /** The weights to start training from (as {@link #forTraining}), opened as by {@link #openForSampling}. */
    public static TensorSource openForTraining(Path path, StateDictFit fit) throws IOException {
        return open(path, false, fit);
    }

    /** Where the weights of {@code path} are read from, for messages ({@code .../ema.safetensors} for a folder). */
    public static String origin(Path path, boolean sampling) {
        Path absolute = path.toAbsolutePath().normalize();
        return Files.isDirectory(path) ? absolute.resolve(sampling ? "ema.safetensors" : "model.safetensors").toString()
                : absolute.toString();
    }

    private static TensorSource open(Path path, boolean sampling, StateDictFit fit) throws IOException {
        Path file = fileOf(path, sampling);
        if (isSafetensors(file)) {
            return SafetensorsFile.open(file);
        }
        return TorchCheckpointReader.openWeights(file, fit, sampling);
    }

    private static Map<String, INDArray> read(Path path, boolean sampling, StateDictFit fit) throws IOException {
        Path file = fileOf(path, sampling);
        if (isSafetensors(file)) {
            return SafetensorsFile.read(file);
        }
        TorchCheckpoint checkpoint = TorchCheckpointReader.read(file, fit);
        return sampling ? checkpoint.weightsForSampling() : checkpoint.model();
    }

    private static boolean isSafetensors(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors");
    }

    /** The weights file a path names: a folder's ema/model.safetensors, or a .pt or .safetensors file itself. */
    private static Path fileOf(Path path, boolean sampling) throws IOException {
        if (Files.isDirectory(path)) {
            Path file = path.resolve(sampling ? "ema.safetensors" : "model.safetensors");
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, path + " is a folder but not a sit checkpoint"
                        + " (no " + file.getFileName() + ")");
            }
            return file;
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "checkpoint file does not exist");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".ckpt")) {
            return path;
        }
        throw new InvalidInputException("checkpoint " + path + ": expected a .pt (PyTorch) or .safetensors file, "
                + "or a sit checkpoint folder");
    }
}
