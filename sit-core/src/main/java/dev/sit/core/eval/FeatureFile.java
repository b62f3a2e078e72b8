package dev.sit.core.eval;

import dev.sit.core.image.NpzReader;
import dev.sit.core.io.NpyFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code sit}'s feature files: an {@code .npz} with one float32 (N, D) member per layer
 * ({@code pool_3}, {@code spatial}, {@code logits}, {@code softmax}), readable with
 * {@code np.load}. Written under a temporary name and renamed; the same features give the same bytes.
 */
public final class FeatureFile {

    private FeatureFile() {
    }

    public static void write(Path file, Map<String, INDArray> layers) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Map.Entry<String, INDArray> e : layers.entrySet()) {
                    ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                    // a fixed time stamp (NpzWriter's): the same features give the same bytes, whoever computed them
                    entry.setTime(946684800000L);
                    zip.putNextEntry(entry);
                    zip.write(NpyFile.encode(e.getValue().castTo(DataType.FLOAT).dup('c')));
                    zip.closeEntry();
                }
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Every member of an {@code .npz}, keyed without {@code .npy}. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        return new LinkedHashMap<>(NpzReader.read(file));
    }
}
