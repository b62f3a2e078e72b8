package dev.sit.core.image;

import dev.sit.core.io.NpyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads the members of a NumPy {@code .npz} (stored or deflated) by name, without the {@code .npy} suffix. */
public final class NpzReader {

    private NpzReader() {
    }

    /** The raw bytes of each member file, keyed by member name (e.g. {@code arr_0.npy}). */
    public static Map<String, byte[]> rawMembers(Path file) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            for (ZipEntry e : new ArrayList<>(entries)) {
                try (var in = zip.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    /** Every array of the archive, keyed like {@code numpy.load(f).files} ({@code arr_0}). */
    public static Map<String, INDArray> read(Path file) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : rawMembers(file).entrySet()) {
            String name = e.getKey().endsWith(".npy") ? e.getKey().substring(0, e.getKey().length() - 4) : e.getKey();
            out.put(name, NpyFile.decode(e.getValue(), file + "!" + e.getKey()));
        }
        return out;
    }
}
