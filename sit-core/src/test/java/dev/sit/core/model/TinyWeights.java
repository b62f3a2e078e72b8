package dev.sit.core.model;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Weights of the golden tiny model (config in golden/model-tiny/manifest.json). */
final class TinyWeights {

    private TinyWeights() {
    }

    static SitConfig config() {
        return new SitConfig(64, 2, 4, 2, 8, 4, 10, true, 4.0, 0.1);
    }

    static Map<String, INDArray> modelTiny() {
        return dir("/tmp/ptdump/tiny");
    }

    static Map<String, INDArray> checkpointModel() {
        return dir("/tmp/ptdump/ckmodel");
    }

    static Map<String, INDArray> checkpointEma() {
        return dir("/tmp/ptdump/ckema");
    }

    private static Map<String, INDArray> dir(String d) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String k : config().stateDictShapes().keySet()) {
            m.put(k, Nd4j.createFromNpyFile(new File(d, k + ".npy")));
        }
        return m;
    }
}
