package dev.sit.core.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A child process that writes checkpoints as fast as it can, for the kill test. Every value of step s is s. */
public final class CheckpointWriterProcess {

    public static void main(String[] args) throws Exception {
        CheckpointStore store = new CheckpointStore(Path.of(args[0]), 2);
        for (long step = 1; ; step++) {
            Map<String, INDArray> weights = new LinkedHashMap<>();
            for (int i = 0; i < 4; i++) {
                weights.put("layer" + i + ".weight", Nd4j.valueArrayOf(new long[] {256, 1024}, (float) step, DataType.FLOAT));
            }
            store.write(new TrainingState(step, 0, step, 1, step), weights, weights, weights, "step: " + step + "\n");
            System.out.println("wrote " + step);
            System.out.flush();
        }
    }
}
