package dev.sit.core.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state of a PyTorch Adam / AdamW optimizer as {@code optimizer.state_dict()} saves it:
 * per parameter index (the position in {@code model.named_parameters()}) the step count and the
 * moment estimates {@code exp_avg} (m) and {@code exp_avg_sq} (v), and the parameter groups
 * ({@code lr}, {@code betas}, {@code eps}, {@code weight_decay}, {@code params}, ...).
 * Parameters that never received a gradient (SiT's fixed {@code pos_embed}) have no entry.
 *
 * @param state       parameter index to its state, in saved order
 * @param paramGroups the parameter groups as saved
 */
public record TorchAdamState(Map<Integer, ParamState> state, List<Map<String, Object>> paramGroups) {

    /**
     * One parameter's Adam state.
     *
     * @param step     number of updates applied (a 0-d tensor in torch >= 1.12, a number before)
     * @param expAvg   first moment estimate m, the parameter's shape
     * @param expAvgSq second moment estimate v, the parameter's shape
     */
    public record ParamState(double step, INDArray expAvg, INDArray expAvgSq) {
    }

    /**
     * The state keyed by parameter name, given the names in {@code named_parameters()} order (for
     * SiT every state-dict entry is a parameter, so the state dict's key order serves).
     *
     * @throws IllegalArgumentException if an index has no name or a moment's shape is not its parameter's
     */
    public Map<String, ParamState> byName(List<String> parameterNames, Map<String, INDArray> parameters) {
        Map<String, ParamState> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, ParamState> e : state.entrySet()) {
            int i = e.getKey();
            if (i < 0 || i >= parameterNames.size()) {
                throw new IllegalArgumentException("optimizer state for parameter index " + i + " but the model has "
                        + parameterNames.size() + " parameters");
            }
            String name = parameterNames.get(i);
            INDArray p = parameters == null ? null : parameters.get(name);
            if (p != null && !java.util.Arrays.equals(p.shape(), e.getValue().expAvg().shape())) {
                throw new IllegalArgumentException("optimizer state of parameter " + i + " ('" + name + "') has shape "
                        + java.util.Arrays.toString(e.getValue().expAvg().shape()) + " but the parameter has "
                        + java.util.Arrays.toString(p.shape()));
            }
            out.put(name, e.getValue());
        }
        return out;
    }

    /** Reads the typed view of an {@code optimizer.state_dict()} map. */
    @SuppressWarnings("unchecked")
    static TorchAdamState of(Map<String, Object> opt, String where) {
        if (!(opt.get("state") instanceof Map<?, ?> rawState) || !(opt.get("param_groups") instanceof List<?> groups)) {
            throw new IllegalStateException(where + ": optimizer state has no 'state' dict and 'param_groups' list"
                    + " (keys: " + opt.keySet() + ")");
        }
        Map<Integer, ParamState> state = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : rawState.entrySet()) {
            if (!(e.getKey() instanceof Number idx) || !(e.getValue() instanceof Map<?, ?> s)) {
                throw new IllegalStateException(where + ": optimizer state entry " + e.getKey() + " is not"
                        + " parameter index -> dict");
            }
            Object step = s.get("step");
            double stepValue = step instanceof INDArray a ? a.getDouble(0) : step instanceof Number n ? n.doubleValue()
                    : Double.NaN;
            if (!(s.get("exp_avg") instanceof INDArray m) || !(s.get("exp_avg_sq") instanceof INDArray v)
                    || Double.isNaN(stepValue)) {
                throw new IllegalStateException(where + ": optimizer state of parameter " + idx + " lacks Adam's"
                        + " step/exp_avg/exp_avg_sq (keys: " + s.keySet() + "); only Adam/AdamW state is supported");
            }
            state.put(idx.intValue(), new ParamState(stepValue, m, v));
        }
        List<Map<String, Object>> pg = new ArrayList<>();
        for (Object g : groups) {
            pg.add((Map<String, Object>) g);
        }
        return new TorchAdamState(Collections.unmodifiableMap(state), List.copyOf(pg));
    }
}
