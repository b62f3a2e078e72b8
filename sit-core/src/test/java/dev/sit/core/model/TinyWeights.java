package dev.sit.core.model;

import dev.sit.core.io.TorchCheckpoint;
import dev.sit.core.io.TorchCheckpointReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Weights of the golden tiny model (config in golden/model-tiny/manifest.json), read from the .pt files. */
final class TinyWeights {

    private TinyWeights() {
    }

    static SitConfig config() {
        return new SitConfig(64, 2, 4, 2, 8, 4, 10, true, 4.0, 0.1);
    }

    static Map<String, INDArray> modelTiny() {
        return read("model-tiny", "model.pt").model();
    }

    static Map<String, INDArray> checkpointModel() {
        return read("train-checkpoint", "0000002.pt").model();
    }

    /** What a sampler loads from the training checkpoint (its {@code ema} entry). */
    static Map<String, INDArray> checkpointEma() {
        return read("train-checkpoint", "0000002.pt").weightsForSampling();
    }

    private static TorchCheckpoint read(String caseName, String file) {
        try {
            return TorchCheckpointReader.read(Golden.path(caseName, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
