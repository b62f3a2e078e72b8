package dev.sit.core.train;

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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The training step split in its two halves, for data-parallel training: {@link #gradients} of the
 * transport loss on one shard (SameDiff's gradient API), then {@link #apply} of AdamW to the
 * (averaged) gradients. The update is ND4J's own {@link AdamUpdater} followed by ND4J's decoupled
 * {@link WeightDecay} ({@code update += lr * wd * theta}), exactly what {@link TrainingStep}'s
 * {@code fit} applies: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code theta -= lr sqrt(1 - b2^k) / (1 - b1^k) m / (sqrt(v) + eps) + lr wd theta}.
 * {@code TrainingStep} stays the single-process path; this one is measured against it.
 */
public final class GradientStep {

    private final SitModel model;
    private final Transport transport;
    private final SameDiff sd;
    private final LearningRateSchedule schedule;
    private final WeightDecay weightDecay;
    private final List<String> parameters;
    private final Map<String, GradientUpdater> updaters = new LinkedHashMap<>();
    private int iteration;
    private GradientClipping clipping;
    private double lastGradientNorm = Double.NaN;

    /** Adds the transport loss to {@code model} (once per model: not together with a {@link TrainingStep}). */
    public GradientStep(SitModel model, Transport transport, double lr, double beta1, double beta2, double weightDecay) {
        this(model, transport, LearningRateSchedule.constant(lr), beta1, beta2, weightDecay);
    }

    /** With a learning-rate schedule driven by the step count, as {@link TrainingStep}'s. */
    public GradientStep(SitModel model, Transport transport, LearningRateSchedule schedule, double beta1, double beta2,
                        double weightDecay) {
        this.model = model;
        this.transport = transport;
        this.sd = model.sameDiff();
        this.schedule = schedule;
        this.weightDecay = weightDecay > 0 ? new WeightDecay(weightDecay, true) : null;
        model.addLoss(TrainingLoss.LOSS, (graph, out) -> TrainingLoss.define(graph, out, model.outputShape()).loss());
        this.parameters = model.trainableVariableNames();
        Adam adam = new Adam(schedule.lr(), beta1, beta2, 1e-8);
        adam.setLearningRateSchedule(schedule);
        for (String name : parameters) {
            long[] shape = sd.getVariable(name).getArr().shape();
            Map<String, INDArray> state = new LinkedHashMap<>();
            state.put(AdamUpdater.M_STATE, Nd4j.zeros(DataType.FLOAT, shape));
            state.put(AdamUpdater.V_STATE, Nd4j.zeros(DataType.FLOAT, shape));
            updaters.put(name, adam.instantiate(state, true));
        }
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

    /** Gradients of the shard's mean transport loss with respect to every trainable variable. */
    public ShardGradients gradients(TrainingSample sample, INDArray labels) {
        Map<String, INDArray> placeholders = new LinkedHashMap<>(model.placeholders(sample.xt(), sample.t(), labels));
        placeholders.put(TrainingLoss.TARGET, sample.target());
        placeholders.put(TrainingLoss.OUT_SCALE, sample.outScale());
        placeholders.put(TrainingLoss.WEIGHT, sample.weight());
        var result = sd.calculateGradientsAndOutputs(placeholders, List.of(SitModel.OUTPUT), parameters);
        INDArray[] grads = new INDArray[parameters.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = result.getGradients().get(parameters.get(i));
        }
        double loss = transport.loss(sample, result.getOutputs().get(SitModel.OUTPUT));
        return new ShardGradients(grads, loss);
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
        for (int i = 0; i < gradients.length; i++) {
            String name = parameters.get(i);
            INDArray update = gradients[i];
            updaters.get(name).applyUpdater(update, iteration, 0);
            INDArray param = sd.getVariable(name).getArr();
            if (weightDecay != null) {
                // decoupled decay scaled by the step's rate, as SameDiff's fit does
                weightDecay.apply(param, update, schedule.valueAt(iteration, 0), iteration, 0);
            }
            param.subi(update);
        }
        iteration++;
    }

    /** Adam's moments in the reference layout ({@code <key>.exp_avg}, {@code <key>.exp_avg_sq}), as {@link TrainingStep} writes them. */
    public Map<String, INDArray> optimizerState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterSpec p : trainable()) {
            Map<String, INDArray> state = updaters.get(p.key()).getState();
            out.put(p.key() + ".exp_avg", ParameterLayout.toReference(p, state.get(AdamUpdater.M_STATE)));
            out.put(p.key() + ".exp_avg_sq", ParameterLayout.toReference(p, state.get(AdamUpdater.V_STATE)));
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
            Map<String, INDArray> moments = updaters.get(p.key()).getState();
            moments.get(AdamUpdater.M_STATE).assign(ParameterLayout.toGraph(p, m));
            moments.get(AdamUpdater.V_STATE).assign(ParameterLayout.toGraph(p, v));
        }
        iteration = (int) iterations;
    }

    private List<ParameterSpec> trainable() {
        return model.parameters().stream().filter(p -> updaters.containsKey(p.key())).toList();
    }

    /** Number of optimisation steps taken (Adam's step count). */
    public long iterations() {
        return iteration;
    }
}
