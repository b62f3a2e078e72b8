package dev.sit.core.io;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The content of a PyTorch {@code .pt} file, read by {@link TorchCheckpointReader}: either a
 * bare state dict (as released, e.g. {@code SiT-XL-2-256x256.pt}) or a {@code train.py}
 * training checkpoint {@code {"model", "ema", "opt", "args"}}.
 *
 * @param source the file it was read from (for messages)
 * @param root   the unpickled object: dicts and OrderedDicts as {@code LinkedHashMap} in pickled
 *               order (keys as pickled: strings, or integers in optimizer state), tensors as C-order
 *               {@link INDArray}s (float storages as FLOAT), tuples as unmodifiable lists, an
 *               {@code argparse.Namespace} as the map of its attributes, None as null
 */
public record TorchCheckpoint(Path source, Object root) {

    /** Whether the root is a training checkpoint: a dict holding a {@code model} or {@code ema} state dict. */
    public boolean isTrainingCheckpoint() {
        return root instanceof Map<?, ?> m && (m.get("model") instanceof Map<?, ?> || m.get("ema") instanceof Map<?, ?>);
    }

    /**
     * The model weights: a training checkpoint's {@code model} entry, or the bare state dict.
     *
     * @throws InvalidInputException if there are none (the message lists what the file holds)
     */
    public Map<String, INDArray> model() {
        if (isTrainingCheckpoint()) {
            Object model = ((Map<?, ?>) root).get("model");
            if (model == null) {
                throw new InvalidInputException(source + ": training checkpoint has no 'model' entry (keys: "
                        + ((Map<?, ?>) root).keySet() + ")");
            }
            return stateDict(model, source + " ['model']");
        }
        return stateDict(root, source.toString());
    }

    /** A training checkpoint's EMA weights ({@code ema} entry), if present. */
    public Optional<Map<String, INDArray>> ema() {
        if (root instanceof Map<?, ?> m && m.get("ema") != null) {
            return Optional.of(stateDict(m.get("ema"), source + " ['ema']"));
        }
        return Optional.empty();
    }

    /**
     * The weights to sample with, as the reference's {@code find_model} chooses: {@code ema} if
     * present, else {@code model}, else the bare state dict.
     */
    public Map<String, INDArray> weightsForSampling() {
        return ema().orElseGet(this::model);
    }

    /**
     * The optimizer's {@code state_dict()} ({@code opt} entry), if present: {@code "state"} maps
     * the parameter index (Integer, the position in {@code model.named_parameters()}; parameters
     * that never had a gradient are absent) to {@code {"step", "exp_avg", "exp_avg_sq"}} for Adam/AdamW
     * ({@code step} is a 0-d tensor in torch >= 1.12, a number before), and {@code "param_groups"}
     * is a list of maps ({@code lr}, {@code betas}, {@code eps}, {@code weight_decay}, {@code params}, ...).
     */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> optimizerState() {
        if (root instanceof Map<?, ?> m && m.get("opt") instanceof Map<?, ?> opt) {
            return Optional.of((Map<String, Object>) opt);
        }
        return Optional.empty();
    }

    /**
     * The {@code opt} entry as Adam / AdamW state (step, exp_avg, exp_avg_sq per parameter), if present.
     *
     * @throws IllegalStateException if the optimizer state is not Adam's
     */
    public Optional<TorchAdamState> adamState() {
        return optimizerState().map(opt -> TorchAdamState.of(opt, source + " ['opt']"));
    }

    /** The {@code args} entry (train.py's argparse namespace) as attribute name to value; empty if none. */
    public Map<String, Object> args() {
        if (root instanceof Map<?, ?> m && m.get("args") instanceof Map<?, ?> args) {
            Map<String, Object> out = new LinkedHashMap<>();
            args.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        return Map.of();
    }

    /**
     * The state dict inside an unpickled object: the object itself if it maps names to tensors,
     * else the first of its entries {@code state_dict} (Lightning / CompVis {@code .ckpt}),
     * {@code ema}, {@code model} that holds one.
     *
     * @throws IllegalArgumentException naming the keys found, if there is no state dict
     */
    public static Map<String, INDArray> stateDict(Object obj) {
        return stateDict(obj, "checkpoint");
    }

    private static Map<String, INDArray> stateDict(Object obj, String where) {
        if (!(obj instanceof Map<?, ?> m)) {
            throw new InvalidInputException(where + ": expected a state dict (a dict of tensors) but found "
                    + RestrictedTorchUnpickler.describe(obj));
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        Object firstOther = null;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof INDArray a) {
                out.put(k, a);
            } else if (firstOther == null) {
                firstOther = e.getKey();
            }
        }
        if (firstOther == null) {
            return out;
        }
        for (String nested : List.of("state_dict", "ema", "model")) {
            if (m.get(nested) instanceof Map<?, ?> inner) {
                return stateDict(inner, where + " ['" + nested + "']");
            }
        }
        Object bad = m.get(firstOther);
        throw new InvalidInputException(where + ": not a state dict: entry '" + firstOther + "' is "
                + RestrictedTorchUnpickler.describe(bad) + ", not a tensor, and there is no nested 'state_dict',"
                + " 'ema' or 'model' dict (keys: " + abbreviate(m.keySet()) + ")");
    }

    private static String abbreviate(java.util.Set<?> keys) {
        List<String> names = keys.stream().limit(12).map(String::valueOf).toList();
        return names + (keys.size() > 12 ? " and " + (keys.size() - 12) + " more" : "");
    }
}
