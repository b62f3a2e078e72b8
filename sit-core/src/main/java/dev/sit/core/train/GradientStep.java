package dev.sit.core.train;

import dev.sit.core.model.AdamW;
import dev.sit.core.model.GradientCapture;
import dev.sit.core.model.ParameterLayout;
import dev.sit.core.model.ParameterSpec;
import dev.sit.core.model.SitModel;
import dev.sit.core.transport.TrainingLoss;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training step split in its two halves, for data-parallel training, clipping and gradient
 * accumulation: {@link #gradients} of the transport loss on one shard ({@code fit} with a
 * {@link GradientCapture}), then {@link #apply} of {@link AdamW} to the (averaged) gradients, exactly the
 * update {@link TrainingStep}'s {@code fit} applies.
 * {@code TrainingStep} stays the single-process path; this one is measured against it.
 */
public final class GradientStep {

    private final SitModel model;
    private final SameDiff sd;
    private final LearningRateSchedule schedule;
    private final List<String> parameters;
    private final AdamW adamW;
    private final TrainingStep.LossCapture lossCapture;
    private int iteration;
    private GradientClipping clipping;
    private int microBatches = 1;
    private double lastGradientNorm = Double.NaN;

    /** Adds the transport loss to {@code model} (once per model: not together with a {@link TrainingStep}). */
    public GradientStep(SitModel model, Transport transport, double lr, double beta1, double beta2, double weightDecay) {
        this(model, transport, LearningRateSchedule.constant(lr), beta1, beta2, weightDecay);
    }

    /** With a learning-rate schedule driven by the step count, as {@link TrainingStep}'s. */
    public GradientStep(SitModel model, Transport transport, LearningRateSchedule schedule, double beta1, double beta2,
                        double weightDecay) {
        this.model = model;
        this.sd = model.sameDiff();
        this.schedule = schedule;
        model.addLoss(TrainingLoss.LOSS, (graph, out) -> TrainingLoss.define(graph, out, model.outputShape()).loss());
        this.parameters = model.trainableVariableNames();
        this.adamW = new AdamW(sd, parameters, schedule, beta1, beta2, weightDecay);
        // fit computes the gradients (it frees activations as the backward pass goes) and GradientCapture
        // keeps them instead of updating: AdamW is applied by apply(), after averaging and clipping
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new GradientCapture())
                .dataSetFeatureMapping(TrainingStep.FEATURES)
                .markLabelsUnused()
                .minimize(TrainingLoss.LOSS)
                .build());
        this.lossCapture = new TrainingStep.LossCapture(transport);
        sd.addListeners(lossCapture);
    }

    /** One shard's gradients (graph layout, in {@link #parameterNames()} order) and its mean loss. */
    public record ShardGradients(INDArray[] gradients, double loss) {
    }

    public SitModel model() {
        return model;
    }

    /** The learning rate of every step. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** The trainable variables, in the order of {@link ShardGradients#gradients()}. */
    public List<String> parameterNames() {
        return parameters;
    }

    /**
     * Gradients of the shard's mean transport loss with respect to every trainable variable. With
     * {@link #withMicroBatches} k above one, the shard runs through the network as k equal micro-batches
     * of consecutive rows and the result is the mean of their gradients and losses: the gradient of the
     * shard's mean loss (up to float summation order), with the memory of one micro-batch's activations.
     */
    public ShardGradients gradients(TrainingSample sample, INDArray labels) {
        long b = sample.batchSize();
        if (b % microBatches != 0) {
            throw new IllegalArgumentException("a shard of " + b + " images cannot be split into train.micro_batches "
                    + microBatches + " equal micro-batches; make the batch per replica a multiple of micro_batches");
        }
        long m = b / microBatches;
        double loss = 0;
        for (int i = 0; i < microBatches; i++) {
            TrainingSample part = microBatches == 1 ? sample : DataParallelStep.rows(sample, i * m, (i + 1) * m);
            INDArray partLabels = microBatches == 1 ? labels : labels.get(NDArrayIndex.interval(i * m, (i + 1) * m)).dup();
            lossCapture.sample = part;
            lossCapture.loss = Double.NaN;
            try {
                sd.fit(TrainingStep.features(part, partLabels));
            } finally {
                lossCapture.sample = null;
            }
            loss += lossCapture.loss;
        }
        return new ShardGradients(GradientCapture.takeMean(sd, parameters), loss / microBatches);
    }

    /**
     * Runs each shard as {@code k} micro-batches ({@code train.micro_batches}, gradient accumulation);
     * 1, the default: the whole shard at once.
     */
    public GradientStep withMicroBatches(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("train.micro_batches must be at least 1, got " + k);
        }
        this.microBatches = k;
        return this;
    }

    /** Clips the gradients of every later step by their global norm ({@code train.grad_clip}); null: none. */
    public GradientStep withClipping(GradientClipping clipping) {
        this.clipping = clipping;
        return this;
    }

    /** The global norm of the last step's gradients, before clipping (NaN before the first step). */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /**
     * One AdamW step with these gradients (consumed: they become the update), clipped first when
     * clipping is on. In data-parallel training every replica gets the same averaged gradients, so
     * every replica clips them alike.
     */
    public void apply(INDArray[] gradients) {
        lastGradientNorm = clipping != null ? clipping.clip(gradients) : GradientClipping.globalNorm(gradients);
        adamW.apply(gradients, iteration);
        iteration++;
    }

    /** Adam's moments in the reference layout ({@code <key>.exp_avg}, {@code <key>.exp_avg_sq}), as {@link TrainingStep} writes them. */
    public Map<String, INDArray> optimizerState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterSpec p : trainable()) {
            out.put(p.key() + ".exp_avg", ParameterLayout.toReference(p, adamW.firstMoment(p.key())));
            out.put(p.key() + ".exp_avg_sq", ParameterLayout.toReference(p, adamW.secondMoment(p.key())));
        }
        return out;
    }

    /** Restores Adam's moments (reference layout) and the step count, as {@link TrainingStep#restoreOptimizerState}. */
    public void restoreOptimizerState(Map<String, INDArray> state, long iterations) {
        for (ParameterSpec p : trainable()) {
            INDArray m = state.get(p.key() + ".exp_avg");
            INDArray v = state.get(p.key() + ".exp_avg_sq");
            if (m == null || v == null) {
                throw new IllegalArgumentException("the optimizer state has no Adam moments for " + p.key()
                        + "; it does not belong to this model");
            }
            adamW.firstMoment(p.key()).assign(ParameterLayout.toGraph(p, m));
            adamW.secondMoment(p.key()).assign(ParameterLayout.toGraph(p, v));
        }
        iteration = (int) iterations;
    }

    private List<ParameterSpec> trainable() {
        return model.parameters().stream().filter(p -> adamW.updates(p.key())).toList();
    }

    /** Number of optimisation steps taken (Adam's step count). */
    public long iterations() {
        return iteration;
    }
}
