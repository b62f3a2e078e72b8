package dev.sit.core.train;

import java.io.IOException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Makes the periodic sample grid of training from the EMA weights (reference layout). */
@FunctionalInterface
public interface PeriodicSampler {

    void sample(long step, Map<String, INDArray> emaWeights) throws IOException;
}
