package dev.sit.core.model;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Classifier-free guidance around a {@link SitModel}, kept out of the solvers: the conditional and
 * unconditional (null-label) halves are evaluated in one batch and combined as
 * {@code uncond + s (cond - uncond)} on the guided channels ({@link Guidance}).
 */
public final class GuidedModel {

    private final SitModel model;
    private final Guidance guidance;

    public GuidedModel(SitModel model, Guidance guidance) {
        if (guidance.scale() != 1.0 && !model.config().hasNullClass()) {
            throw new IllegalArgumentException("classifier-free guidance needs the null label, but this model has "
                    + "no null row (class_dropout_prob = 0); use guidance scale 1");
        }
        this.model = model;
        this.guidance = guidance;
    }

    public SitModel model() {
        return model;
    }

    public Guidance guidance() {
        return guidance;
    }

    /**
     * The reference's {@code forward_with_cfg(x, t, y, cfg_scale)} with this wrapper's channel rule and
     * interval: x, t, y hold [conditional half; unconditional half]; the model runs on
     * {@code [x_half, x_half]} (the second half of x is ignored, as in the reference) with t and y in
     * full; the guided half is written into both halves. Output has x's shape.
     */
    public INDArray forwardWithCfg(INDArray x, INDArray t, INDArray y, double scale) {
        long n = x.size(0);
        if (n % 2 != 0) {
            throw new IllegalArgumentException("guided forward needs an even batch ([conditional; unconditional]), got "
                    + n);
        }
        long half = n / 2;
        INDArray xHalf = x.get(NDArrayIndex.interval(0, half));
        INDArray out = model.forward(Nd4j.concat(0, xHalf, xHalf), t, y);
        INDArray tHalf = t.reshape(n).castTo(DataType.DOUBLE).get(NDArrayIndex.interval(0, half));
        INDArray guided = combine(out.get(NDArrayIndex.interval(0, half)), out.get(NDArrayIndex.interval(half, n)),
                scale, tHalf);
        INDArray result = out.dup();
        INDArrayIndex[] chans = guidedChannels(out.size(1));
        result.get(NDArrayIndex.interval(0, half), chans[0]).assign(guided);
        result.get(NDArrayIndex.interval(half, n), chans[0]).assign(guided);
        return result;
    }

    /**
     * The guided model output for a sampler: x (N, C, H, W) at one time t, labels (N). Doubles the batch
     * internally ([x; x] with [labels; null]) and returns (N, C, H, W): guided channels combined, other
     * channels from the conditional half. Where the scale in effect is 1, only the conditional half runs.
     */
    public INDArray velocityOut(INDArray x, double t, INDArray labels) {
        long n = x.size(0);
        double s = guidance.scaleAt(t);
        if (s == 1.0) {
            return model.forward(x, Nd4j.valueArrayOf(new long[] {n}, t, model.dataType()), labels);
        }
        INDArray y = Nd4j.concat(0, labels.reshape(n).castTo(DataType.INT32),
                Nd4j.valueArrayOf(new long[] {n}, model.config().nullClass(), DataType.INT32));
        INDArray out = model.forward(Nd4j.concat(0, x, x), Nd4j.valueArrayOf(new long[] {2 * n}, t, model.dataType()), y);
        INDArray cond = out.get(NDArrayIndex.interval(0, n)).dup();
        INDArray guided = combine(cond, out.get(NDArrayIndex.interval(n, 2 * n)), guidance.scale(),
                Nd4j.valueArrayOf(new long[] {n}, t, DataType.DOUBLE));
        cond.get(NDArrayIndex.all(), guidedChannels(out.size(1))[0]).assign(guided);
        return cond;
    }

    /** uncond + s_i (cond - uncond) on the guided channels, s_i the scale in effect at sample i's time. */
    private INDArray combine(INDArray cond, INDArray uncond, double scale, INDArray times) {
        INDArrayIndex chans = guidedChannels(cond.size(1))[0];
        INDArray c = cond.get(NDArrayIndex.all(), chans);
        INDArray u = uncond.get(NDArrayIndex.all(), chans);
        long n = cond.size(0);
        double[] perSample = new double[(int) n];
        Guidance g = new Guidance(scale, guidance.channels(), guidance.intervalLow(), guidance.intervalHigh());
        for (int i = 0; i < n; i++) {
            perSample[i] = g.scaleAt(times.getDouble(i));
        }
        INDArray s = Nd4j.createFromArray(perSample).castTo(cond.dataType()).reshape(n, 1, 1, 1);
        long[] shape = c.shape();
        return u.add(c.sub(u).muli(s.broadcast(shape)));
    }

    private INDArrayIndex[] guidedChannels(long channels) {
        long k = guidance.channels() == Guidance.Channels.FIRST3 ? Math.min(3, channels) : channels;
        return new INDArrayIndex[] {NDArrayIndex.interval(0, k)};
    }

    @Override
    public String toString() {
        return "GuidedModel" + Arrays.asList(guidance);
    }
}
