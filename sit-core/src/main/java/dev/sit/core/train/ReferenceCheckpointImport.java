package dev.sit.core.train;

import dev.sit.core.io.TorchAdamState;
import dev.sit.core.io.TorchCheckpoint;
import dev.sit.core.io.TorchCheckpointReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Continues training from the reference's {@code train.py} checkpoint ({@code model}, {@code ema},
 * {@code opt}, {@code args}): weights, EMA and Adam's moments and step are taken over; the data
 * order starts afresh (the reference saves no data position).
 */
public final class ReferenceCheckpointImport {

    private ReferenceCheckpointImport() {
    }

    public static CheckpointStore.Checkpoint read(Path pt, long seed) throws IOException {
        TorchCheckpoint checkpoint = TorchCheckpointReader.read(pt);
        if (!checkpoint.isTrainingCheckpoint()) {
            throw new IOException(pt + " holds only weights, not a training checkpoint (model, ema, opt, args); "
                    + "give it as model.ckpt to start training from these weights instead of train.resume");
        }
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> model = checkpoint.model();
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> ema = checkpoint.ema().orElse(model);
        TorchAdamState adam = checkpoint.adamState().orElseThrow(
                () -> new IOException(pt + " has no optimizer state ('opt') to continue training from"));
        Map<String, TorchAdamState.ParamState> byName = adam.byName(new ArrayList<>(model.keySet()), model);
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> moments = new LinkedHashMap<>();
        long step = 0;
        for (Map.Entry<String, TorchAdamState.ParamState> e : byName.entrySet()) {
            moments.put(e.getKey() + ".exp_avg", e.getValue().expAvg());
            moments.put(e.getKey() + ".exp_avg_sq", e.getValue().expAvgSq());
            step = Math.max(step, Math.round(e.getValue().step()));
        }
        TrainingState state = new TrainingState(step, 0, 0, seed, Double.NaN);
        return new CheckpointStore.Checkpoint(pt, model, ema, moments, state, "");
    }
}
