package dev.sit.core.model;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * An updater for SameDiff's {@code fit} that only collects: each variable's gradient is added to a
 * sum kept for it, and {@code fit} gets a zero update, so the weights do not change. This gives the
 * gradients of one or more batches (gradient accumulation, data-parallel replicas, clipping) with
 * {@code fit}'s memory, where SameDiff's gradient API ({@code calculateGradients}) keeps far more:
 * measured with {@code SIT_LOW_MEMORY=1}, SiT-S/2 training at batch 8 in two micro-batches of 4 peaked
 * at 9.6 GB through {@code calculateGradients} and at 2.1 GB through {@code fit} with this updater.
 */
public final class GradientCapture implements IUpdater {

    @Override
    public long stateSize(long numParams) {
        return 0;
    }

    @Override
    public GradientUpdater<GradientCapture> instantiate(INDArray viewArray, boolean initializeViewArray) {
        return new Sum(this);
    }

    @Override
    public GradientUpdater<GradientCapture> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        return new Sum(this);
    }

    /**
     * The sums of the gradients {@code fit} computed since the last call, in {@code parameters} order,
     * and the sums reset: the next {@code fit} starts new ones.
     *
     * @throws IllegalStateException when no {@code fit} with this updater computed a variable's gradient
     */
    public static INDArray[] take(SameDiff sd, List<String> parameters) {
        return take(sd, parameters, false);
    }

    /**
     * {@link #take}, divided by the number of {@code fit} steps that were summed: the mean gradient of k
     * micro-batches of equal size is the gradient of their whole batch's mean loss.
     */
    public static INDArray[] takeMean(SameDiff sd, List<String> parameters) {
        return take(sd, parameters, true);
    }

    private static INDArray[] take(SameDiff sd, List<String> parameters, boolean mean) {
        Map<String, GradientUpdater> updaters = sd.getUpdaterMap();
        INDArray[] out = new INDArray[parameters.size()];
        for (int i = 0; i < out.length; i++) {
            GradientUpdater<?> u = updaters == null ? null : updaters.get(parameters.get(i));
            if (!(u instanceof Sum sum) || sum.total == null) {
                throw new IllegalStateException("no gradient was collected for " + parameters.get(i)
                        + ": train with a TrainingConfig whose updater is a GradientCapture first");
            }
            out[i] = mean && sum.count > 1 ? sum.total.divi(sum.count) : sum.total;
            sum.total = null;
            sum.count = 0;
        }
        return out;
    }

    @Override
    public IUpdater clone() {
        return new GradientCapture();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientCapture;
    }

    @Override
    public int hashCode() {
        return GradientCapture.class.hashCode();
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return 0;
    }

    @Override
    public boolean hasLearningRate() {
        return false;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        throw new UnsupportedOperationException("a GradientCapture has no learning rate");
    }

    /** One variable's running sum. */
    private static final class Sum implements GradientUpdater<GradientCapture> {
        private final GradientCapture config;
        private INDArray total;
        private int count;

        Sum(GradientCapture config) {
            this.config = config;
        }

        @Override
        public GradientCapture getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of();
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (total == null) {
                total = gradient.dup();
            } else {
                total.addi(gradient);
            }
            count++;
            gradient.assign(0); // fit subtracts the "update": the weights stay as they are
        }
    }
}
