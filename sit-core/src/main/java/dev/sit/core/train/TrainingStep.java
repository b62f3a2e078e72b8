package dev.sit.core.train;

import dev.sit.core.model.ParameterSpec;
import dev.sit.core.model.ParameterLayout;
import dev.sit.core.model.SitModel;
import dev.sit.core.transport.TrainingLoss;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One optimisation step of the SiT network on the transport loss: forward, backward and AdamW
 * (Adam with decoupled weight decay, as PyTorch's AdamW) through SameDiff's {@code fit}, which
 * SAMEDIFF-NOTES.md measured as the fast route. The loss of the step is computed from the forward
 * output captured while the step runs (SameDiff's own loss value is 0 in M2.1), not by a second pass.
 */
public final class TrainingStep {

    /** The placeholders a batch fills, in the order of {@link #features}. */
    static final String[] FEATURES = {SitModel.INPUT_X, SitModel.INPUT_T, SitModel.INPUT_Y,
            TrainingLoss.TARGET, TrainingLoss.OUT_SCALE, TrainingLoss.WEIGHT};

    private final SitModel model;
    private final SameDiff sd;
    private final TrainingConfig config;
    private final LossCapture capture;
    private final LearningRateSchedule schedule;

    /** Adds the transport loss to {@code model} (once per model) and configures AdamW with a constant rate. */
    public TrainingStep(SitModel model, Transport transport, double lr, double beta1, double beta2, double weightDecay) {
        this(model, transport, LearningRateSchedule.constant(lr), beta1, beta2, weightDecay);
    }

    /**
     * Adds the transport loss to {@code model} (once per model) and configures AdamW whose rate follows
     * {@code schedule} by Adam's iteration count (restored on resume, see {@link #restoreOptimizerState}).
     */
    public TrainingStep(SitModel model, Transport transport, LearningRateSchedule schedule, double beta1, double beta2,
                        double weightDecay) {
        this.model = model;
        this.schedule = schedule;
        this.capture = new LossCapture(transport);
        this.sd = model.sameDiff();
        model.addLoss(TrainingLoss.LOSS, (graph, out) -> TrainingLoss.define(graph, out, model.outputShape()).loss());
        Adam adam = new Adam(schedule.lr(), beta1, beta2, 1e-8);
        adam.setLearningRateSchedule(schedule);
        TrainingConfig.Builder builder = TrainingConfig.builder()
                .updater(adam)
                .dataSetFeatureMapping(FEATURES)
                .markLabelsUnused()
                .minimize(TrainingLoss.LOSS);
        if (weightDecay > 0) {
            builder.weightDecay(weightDecay, true);
        }
        this.config = builder.build();
        sd.setTrainingConfig(config);
        sd.addListeners(capture);
    }

    public SitModel model() {
        return model;
    }

    /**
     * Trains on one batch: {@code sample} from the transport, {@code labels} (N) after label
     * dropout. Returns the batch's mean loss before the update.
     */
    public double step(TrainingSample sample, INDArray labels) {
        announce(sample);
        try {
            sd.fit(features(sample, labels));
        } finally {
            capture.sample = null;
        }
        return capture.loss;
    }

    /** One batch's placeholder values, in the order of the training configuration's features. */
    public static org.nd4j.linalg.dataset.MultiDataSet features(TrainingSample sample, INDArray labels) {
        INDArray[] features = {sample.xt(), sample.t(), labels.castTo(DataType.INT32),
                sample.target(), sample.outScale(), sample.weight()};
        return new org.nd4j.linalg.dataset.MultiDataSet(features, new INDArray[0]);
    }

    /**
     * Trains on every batch {@code batches} gives, in ONE {@code fit} (one training session: memory
     * stays flat, where a {@code fit} per batch keeps sessions alive). {@code batches} reports each
     * batch's transport sample through {@link #announce} before handing it out, so the step's loss
     * can be computed; {@code listeners} see every step's end.
     */
    public void train(org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator batches,
                      org.nd4j.autodiff.listeners.Listener... listeners) {
        sd.fit(batches, 1, listeners);
    }

    /** The transport sample of the batch about to be trained on (for {@link #lastLoss()}). */
    public void announce(TrainingSample sample) {
        capture.loss = Double.NaN;
        capture.sample = sample;
    }

    /** The mean loss of the last batch trained, before its update (NaN when it was not computed). */
    public double lastLoss() {
        return capture.loss;
    }

    /** The learning rate schedule of every step. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** The learning rate the optimizer uses for its next update (by Adam's iteration count). */
    public double nextLearningRate() {
        return config.getUpdater().getLearningRate(config.getIterationCount(), config.getEpochCount());
    }

    /** Number of optimisation steps taken so far (Adam's step count). */
    public long iterations() {
        return config.getIterationCount();
    }

    /**
     * Adam's moments in the reference layout: {@code <key>.exp_avg}, {@code <key>.exp_avg_sq} for
     * every parameter (empty before the first step).
     */
    public Map<String, INDArray> optimizerState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        Map<String, GradientUpdater> updaters = sd.getUpdaterMap();
        if (updaters == null) {
            return out;
        }
        for (ParameterSpec p : model.parameters()) {
            GradientUpdater u = updaters.get(p.key());
            if (u instanceof AdamUpdater adam) {
                out.put(p.key() + ".exp_avg", ParameterLayout.toReference(p, adam.getState().get(AdamUpdater.M_STATE)));
                out.put(p.key() + ".exp_avg_sq", ParameterLayout.toReference(p, adam.getState().get(AdamUpdater.V_STATE)));
            }
        }
        return out;
    }

    /**
     * Restores Adam's moments (reference layout, as {@link #optimizerState()} gives them) and the
     * step count, so that training continues exactly where it stopped.
     */
    public void restoreOptimizerState(Map<String, INDArray> state, long iterations) {
        if (sd.getUpdaterMap() == null) {
            initializeUpdaters();
        }
        List<String> missing = new ArrayList<>();
        for (ParameterSpec p : model.parameters()) {
            INDArray m = state.get(p.key() + ".exp_avg");
            INDArray v = state.get(p.key() + ".exp_avg_sq");
            GradientUpdater u = sd.getUpdaterMap().get(p.key());
            if (!(u instanceof AdamUpdater adam)) {
                continue;
            }
            if (m == null || v == null) {
                missing.add(p.key());
                continue;
            }
            adam.getState().get(AdamUpdater.M_STATE).assign(ParameterLayout.toGraph(p, m));
            adam.getState().get(AdamUpdater.V_STATE).assign(ParameterLayout.toGraph(p, v));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the optimizer state has no Adam moments for " + missing
                    + "; it does not belong to this model");
        }
        config.setIterationCount((int) iterations);
    }

    /** Creates the updater state before the first step (SameDiff only exposes this to subclasses). */
    private void initializeUpdaters() {
        try {
            java.lang.reflect.Method init = SameDiff.class.getDeclaredMethod("initializeTraining");
            init.setAccessible(true);
            init.invoke(sd);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot initialise SameDiff's optimizer state to restore it: " + e, e);
        }
    }

    /** Receives the loss variable's value while {@code fit} runs the step. */
    static final class LossCapture extends BaseListener {
        private final Transport transport;
        TrainingSample sample;
        double loss = Double.NaN;

        LossCapture(Transport transport) {
            this.transport = transport;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op,
                                org.nd4j.linalg.api.ops.OpContext opContext, INDArray[] outputs) {
            List<String> names = op.getOutputsOfOp();
            for (int i = 0; i < names.size() && i < outputs.length; i++) {
                if (SitModel.OUTPUT.equals(names.get(i)) && sample != null) {
                    // the forward output of this very step: its loss, before the update
                    loss = transport.loss(sample, outputs[i]);
                }
            }
        }
    }
}
