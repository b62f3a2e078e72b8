package dev.sit.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One state dict of a zip-format {@code .pt} read one tensor at a time: the pickle was unpickled
 * without data (every key, shape and storage known and checked), and each {@link #read} unpacks
 * just the zip entry of that tensor's storage. Loading a model from it holds the model's weights
 * plus one storage, never the file's whole state dict (for the released SiT-XL/2 checkpoint, 2.7 GB
 * less at the peak).
 */
final class TorchZipTensors implements TensorSource {

    private final Path file;
    private final ZipFile zip;
    private final String dataPrefix;
    private final Map<String, TorchTensorAssembler.TorchTensorLayout> layouts;
    private final Map<String, INDArray> empty;

    /**
     * @param layouts where each tensor lies (null for an empty tensor, which is in {@code empty})
     */
    TorchZipTensors(Path file, ZipFile zip, String dataPrefix,
                    Map<String, TorchTensorAssembler.TorchTensorLayout> layouts, Map<String, INDArray> empty) {
        this.file = file;
        this.zip = zip;
        this.dataPrefix = dataPrefix;
        this.layouts = new LinkedHashMap<>(layouts);
        this.empty = Map.copyOf(empty);
    }

    @Override
    public List<String> keys() {
        return List.copyOf(layouts.keySet());
    }

    @Override
    public long[] shape(String key) {
        INDArray e = empty.get(key);
        return e != null ? e.shape() : layout(key).size().clone();
    }

    @Override
    public boolean isFloatingPoint(String key) {
        INDArray e = empty.get(key);
        return e != null ? e.dataType().isFPType() : layout(key).storage().type().nd4j().isFPType();
    }

    @Override
    public synchronized INDArray read(String key) throws IOException {
        INDArray e = empty.get(key);
        if (e != null) {
            return e.dup();
        }
        TorchTensorAssembler.TorchTensorLayout layout = layout(key);
        INDArray storage = TorchCheckpointReader.readStorage(zip, dataPrefix, layout.storage(), file);
        // a tensor that is its whole storage takes its memory; a view (offset, slice, shared storage) is
        // copied out and the storage freed now, not when the JVM happens to collect it
        INDArray tensor = layout.extract(storage, layout.isWholeStorage());
        if (tensor.data() != storage.data() && storage.closeable()) {
            storage.close();
        }
        return tensor;
    }

    private TorchTensorAssembler.TorchTensorLayout layout(String key) {
        TorchTensorAssembler.TorchTensorLayout layout = layouts.get(key);
        if (layout == null && !layouts.containsKey(key)) {
            throw new IllegalArgumentException(file + " has no tensor '" + key + "'");
        }
        return layout;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
