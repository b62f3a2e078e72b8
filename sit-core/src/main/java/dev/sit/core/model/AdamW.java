package dev.sit.core.model;

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
import org.nd4j.linalg.schedule.ISchedule;

/**
 * AdamW on a graph's variables, applied to gradients computed outside {@code fit}: ND4J's own
 * {@link AdamUpdater} followed by ND4J's decoupled {@link WeightDecay} ({@code update += lr * wd * theta}),
 * exactly what SameDiff's {@code fit} applies: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code theta -= lr sqrt(1 - b2^k) / (1 - b1^k) m / (sqrt(v) + eps) + lr wd theta}.
 */
public final class AdamW {

    private final SameDiff sd;
    private final List<String> parameters;
    private final ISchedule schedule;
    private final WeightDecay weightDecay;
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();

    /** Zero moments for every variable in {@code parameters}; the rate of step k is {@code schedule.valueAt(k, 0)}. */
    public AdamW(SameDiff sd, List<String> parameters, ISchedule schedule, double beta1, double beta2,
                 double weightDecay) {
        this.sd = sd;
        this.parameters = List.copyOf(parameters);
        this.schedule = schedule;
        this.weightDecay = weightDecay > 0 ? new WeightDecay(weightDecay, true) : null;
        Adam adam = new Adam(schedule.valueAt(0, 0), beta1, beta2, 1e-8);
        adam.setLearningRateSchedule(schedule);
        for (String name : parameters) {
            long[] shape = sd.getVariable(name).getArr().shape();
            Map<String, INDArray> state = new LinkedHashMap<>();
            state.put(AdamUpdater.M_STATE, Nd4j.zeros(DataType.FLOAT, shape));
            state.put(AdamUpdater.V_STATE, Nd4j.zeros(DataType.FLOAT, shape));
            updaters.put(name, adam.instantiate(state, true));
        }
    }

    /** Step {@code iteration} (0-based) with these gradients, in {@code parameters} order; they are consumed (become the updates). */
    public void apply(INDArray[] gradients, int iteration) {
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
    }

    /** Whether {@code name} is one of the variables this optimizer updates. */
    public boolean updates(String name) {
        return updaters.containsKey(name);
    }

    /** Adam's first moment of a variable (graph layout, live: assign to restore it). */
    public INDArray firstMoment(String name) {
        return updaters.get(name).getState().get(AdamUpdater.M_STATE);
    }

    /** Adam's second moment of a variable (graph layout, live: assign to restore it). */
    public INDArray secondMoment(String name) {
        return updaters.get(name).getState().get(AdamUpdater.V_STATE);
    }
}
