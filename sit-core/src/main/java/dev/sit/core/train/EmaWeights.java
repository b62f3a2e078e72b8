package dev.sit.core.train;

import dev.sit.core.model.ParameterLayout;
import dev.sit.core.model.ParameterSpec;
import dev.sit.core.model.SitModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exponential moving average of a model's weights, as the reference keeps it:
 * {@code ema = decay * ema + (1 - decay) * weights} after every step, starting as a copy. Held
 * in the graph's layout (no transposes per step), given out in the reference layout.
 */
public final class EmaWeights {

    private final SitModel model;
    private final double decay;
    private final Map<String, INDArray> average = new LinkedHashMap<>();

    /** Starts as a copy of the model's current weights. */
    public EmaWeights(SitModel model, double decay) {
        this.model = model;
        this.decay = decay;
        for (ParameterSpec p : model.parameters()) {
            average.put(p.key(), model.sameDiff().getVariable(p.key()).getArr().dup('c'));
        }
    }

    /** One update from the model's current weights, in place. */
    public void update() {
        for (ParameterSpec p : model.parameters()) {
            INDArray current = model.sameDiff().getVariable(p.key()).getArr();
            // ema += (1 - decay) * (w - ema), the same value as decay*ema + (1-decay)*w with one temporary
            average.get(p.key()).addi(current.sub(average.get(p.key())).muli(1 - decay));
        }
    }

    /** The average in the reference layout and key order (fresh copies). */
    public Map<String, INDArray> stateDict() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterSpec p : model.parameters()) {
            out.put(p.key(), ParameterLayout.toReference(p, average.get(p.key())));
        }
        return out;
    }

    /** Replaces the average by reference-layout weights (resuming from a checkpoint). */
    public void load(Map<String, INDArray> stateDict) {
        for (ParameterSpec p : model.parameters()) {
            INDArray w = stateDict.get(p.key());
            if (w == null) {
                throw new IllegalArgumentException("the EMA weights have no " + p.key() + "; they do not belong to this model");
            }
            average.get(p.key()).assign(ParameterLayout.toGraph(p, w));
        }
    }
}
