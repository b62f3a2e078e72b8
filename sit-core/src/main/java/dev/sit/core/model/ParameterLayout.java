package dev.sit.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Converts a tensor between the reference layout (as in PyTorch's state dict) and the layout the
 * graph holds ({@link ParameterSpec.Kind}). Both directions are exact (transposes and reshapes only),
 * and also serve optimizer moments, which have their parameter's shape.
 */
public final class ParameterLayout {

    private ParameterLayout() {
    }

    /** Reference layout to graph layout (a new c-ordered array). */
    public static INDArray toGraph(ParameterSpec spec, INDArray reference) {
        long[] s = spec.shape();
        return switch (spec.kind()) {
            case LINEAR_WEIGHT -> reference.transpose().dup('c');
            case PATCH_WEIGHT -> reference.reshape('c', s[0], s[1] * s[2] * s[3]).transpose().dup('c');
            default -> reference.dup('c');
        };
    }

    /** Graph layout to reference layout (a new c-ordered array). */
    public static INDArray toReference(ParameterSpec spec, INDArray graph) {
        return switch (spec.kind()) {
            case LINEAR_WEIGHT -> graph.transpose().dup('c');
            case PATCH_WEIGHT -> graph.transpose().dup('c').reshape('c', spec.shape());
            default -> graph.dup('c').reshape('c', spec.shape());
        };
    }
}
