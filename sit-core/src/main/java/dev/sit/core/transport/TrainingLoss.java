package dev.sit.core.transport;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The transport's training loss inside a SameDiff graph, so that gradients flow from it into the
 * model. Design: the transport draws {@code t}, {@code x0} and builds {@code xt} and the regression
 * target OUTSIDE the graph ({@link Transport#sampleTraining}); the graph receives them as
 * placeholders, so it stays independent of the path, target and weight:
 *
 * <pre>
 *   per_sample = weight * mean_over_non_batch((out_scale * model_out - target)^2)    (N)
 *   loss       = mean(per_sample)                                                   scalar
 * </pre>
 *
 * Usage in a training step:
 * <pre>{@code
 * TrainingLoss loss = TrainingLoss.define(sd, modelOut);      // once, when building the graph
 * sd.setLossVariables(loss.loss());
 * ...
 * TrainingSample s = transport.sampleTraining(x1, rng);       // every step
 * Map<String, INDArray> feeds = loss.feeds(s);                 // target, out_scale, weight
 * feeds.put("x", s.xt()); feeds.put("t", s.t()); feeds.put("y", labels);
 * }</pre>
 *
 * @param target       placeholder {@value #TARGET}, float32 (-1, ...) like the model output
 * @param outScale     placeholder {@value #OUT_SCALE}, float32 (-1, 1, ..., 1)
 * @param weight       placeholder {@value #WEIGHT}, float32 (-1)
 * @param perSampleLoss the (N) per-sample loss variable
 * @param loss          the scalar mean loss variable (named {@value #LOSS})
 */
public record TrainingLoss(SDVariable target, SDVariable outScale, SDVariable weight, SDVariable perSampleLoss,
        SDVariable loss) {

    public static final String TARGET = "transport_target";
    public static final String OUT_SCALE = "transport_out_scale";
    public static final String WEIGHT = "transport_weight";
    public static final String PER_SAMPLE_LOSS = "transport_per_sample_loss";
    public static final String LOSS = "transport_loss";

    /**
     * Adds the placeholders and the loss ops for {@code modelOut} to {@code sd}.
     *
     * @param modelOut the model's output variable; its shape must be known (batch may be -1)
     */
    public static TrainingLoss define(SameDiff sd, SDVariable modelOut) {
        Objects.requireNonNull(modelOut, "modelOut");
        return define(sd, modelOut, modelOut.getShape());
    }

    /**
     * As {@link #define(SameDiff, SDVariable)} with the output's shape given (batch may be -1): SameDiff
     * knows the shape of placeholders and variables only, not of op outputs such as a model's output.
     */
    public static TrainingLoss define(SameDiff sd, SDVariable modelOut, long[] shape) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(modelOut, "modelOut");
        if (shape == null || shape.length < 2) {
            throw new IllegalArgumentException("the model output's shape must be known and of rank >= 2 (N, ...) "
                    + "to define the transport loss; got " + (shape == null ? "unknown" : java.util.Arrays.toString(shape)));
        }
        long[] targetShape = shape.clone();
        targetShape[0] = -1;
        long[] columnShape = new long[shape.length];
        java.util.Arrays.fill(columnShape, 1L);
        columnShape[0] = -1;
        SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, targetShape);
        SDVariable outScale = sd.placeHolder(OUT_SCALE, DataType.FLOAT, columnShape);
        SDVariable weight = sd.placeHolder(WEIGHT, DataType.FLOAT, -1);
        SDVariable perSample = perSampleLossVariable(sd, modelOut, target, outScale, weight, shape.length)
                .rename(PER_SAMPLE_LOSS);
        SDVariable loss = perSample.mean(LOSS);
        return new TrainingLoss(target, outScale, weight, perSample, loss);
    }

    /**
     * The per-sample loss as ops on given variables (for graphs that name their own placeholders):
     * {@code weight * mean_over_dims_1_to_rank-1((outScale * modelOut - target)^2)}.
     */
    public static SDVariable perSampleLossVariable(SameDiff sd, SDVariable modelOut, SDVariable target,
            SDVariable outScale, SDVariable weight, int rank) {
        SDVariable diff = modelOut.mul(outScale).sub(target);
        int[] dims = new int[rank - 1];
        for (int d = 1; d < rank; d++) {
            dims[d - 1] = d;
        }
        return sd.math.square(diff).mean(dims).mul(weight);
    }

    /** The placeholder values of this loss for one training sample (a new, mutable map). */
    public Map<String, INDArray> feeds(TrainingSample sample) {
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(target.name(), sample.target());
        feeds.put(outScale.name(), sample.outScale());
        feeds.put(weight.name(), sample.weight());
        return feeds;
    }
}
