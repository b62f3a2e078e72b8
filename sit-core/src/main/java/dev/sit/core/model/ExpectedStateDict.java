package dev.sit.core.model;

import dev.sit.core.io.StateDictFit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The state dict a model of {@code config} takes: every reference key with its PyTorch shape.
 * Checks a checkpoint's keys and shapes (declared or actual) against it; a mismatch names the
 * missing and unexpected keys, both shapes and the setting that most likely caused it.
 *
 * @param config the model's configuration
 */
public record ExpectedStateDict(SitConfig config) implements StateDictFit {

    /** Adam keeps two moments and a step per parameter, next to the model and its EMA. */
    private static final int TRAINING_COPIES = 4;

    @Override
    public void check(Map<String, long[]> declaredShapes, String source) {
        List<ParameterSpec> parameters = config.parameters();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>(declaredShapes.keySet());
        for (ParameterSpec p : parameters) {
            if (!declaredShapes.containsKey(p.key())) {
                missing.add(p.key());
            }
            unexpected.remove(p.key());
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new StateDictMismatchException(source + " does not fit this model (" + describe() + "): "
                    + (missing.isEmpty() ? "" : "missing keys " + abbreviate(missing) + "; ")
                    + (unexpected.isEmpty() ? "" : "unexpected keys " + abbreviate(unexpected) + "; ")
                    + "likely cause: " + MismatchHint.forKeys(config, missing, unexpected));
        }
        List<String> problems = new ArrayList<>();
        for (ParameterSpec p : parameters) {
            long[] shape = declaredShapes.get(p.key());
            if (!Arrays.equals(shape, p.shape())) {
                problems.add(p.key() + ": checkpoint shape " + Arrays.toString(shape) + ", model shape "
                        + Arrays.toString(p.shape()) + " (likely cause: " + MismatchHint.forShape(config, p, shape)
                        + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new StateDictMismatchException(source + " does not fit this model (" + describe() + "): "
                    + String.join("; ", problems));
        }
    }

    @Override
    public long largestTensorElements() {
        return config.parameters().stream().mapToLong(p -> elements(p.shape())).max().orElse(0);
    }

    @Override
    public long totalElements() {
        long all = config.parameters().stream().mapToLong(p -> elements(p.shape())).sum();
        return TRAINING_COPIES * all + config.parameters().size();
    }

    /** A short description of the architecture, for messages. */
    public String describe() {
        return "hidden_size " + config.hiddenSize() + ", depth " + config.depth() + ", heads " + config.numHeads()
                + ", patch " + config.patchSize() + ", input_size " + config.inputSize() + ", in_channels "
                + config.inChannels() + ", num_classes " + config.numClasses() + ", learn_sigma " + config.learnSigma();
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    private static String abbreviate(List<String> keys) {
        if (keys.size() <= 8) {
            return keys.toString();
        }
        return keys.subList(0, 8) + " and " + (keys.size() - 8) + " more";
    }
}
