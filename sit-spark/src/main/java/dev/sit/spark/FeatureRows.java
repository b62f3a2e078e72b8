package dev.sit.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The feature rows of one partition on their way from an executor to the driver: per layer, in the extractor's order,
 * the (rows, width) float matrix as plain floats (row-major), so nothing but Java serialization carries them.
 *
 * @param from the partition's first image index
 */
record FeatureRows(long from, long rows, Map<String, float[]> values, Map<String, Long> widths) implements Serializable {

    static FeatureRows of(long from, Map<String, INDArray> layers) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, Long> widths = new LinkedHashMap<>();
        long rows = 0;
        for (Map.Entry<String, INDArray> e : layers.entrySet()) {
            values.put(e.getKey(), e.getValue().castTo(DataType.FLOAT).dup('c').data().asFloat());
            widths.put(e.getKey(), e.getValue().size(1));
            rows = e.getValue().size(0);
        }
        return new FeatureRows(from, rows, values, widths);
    }

    /** The layer's (rows, width) matrix. */
    INDArray layer(String name) {
        return Nd4j.create(values.get(name), new long[] {rows, widths.get(name)}, 'c');
    }
}
