package dev.sit.core.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Where a SameDiff step spends its time, by op type ({@code matmul}, {@code softmax_bp}, ...): the
 * wall time from each op's start to its end, summed while recording. SameDiff runs one op at a time
 * on the calling thread, so the sum is the part of a step spent inside ops; the rest is SameDiff's own
 * bookkeeping between them. Found this way: ND4J's rank-4 batched matmul runs on one core (README,
 * "The quickstart").
 */
public final class OpProfile extends BaseListener {

    /** One op type over the recorded steps: calls and milliseconds per step. */
    public record OpTime(String op, double callsPerStep, double msPerStep) {
    }

    private final Map<String, long[]> byOp = new LinkedHashMap<>();
    private boolean recording;
    private int steps;
    private long started;

    /** Records the ops of the next step (until {@link #stepDone()}). */
    public void stepStarted() {
        recording = true;
    }

    /** Ends the step {@link #stepStarted()} began. */
    public void stepDone() {
        if (recording) {
            steps++;
        }
        recording = false;
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        if (recording) {
            started = System.nanoTime();
        }
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                            INDArray[] outputs) {
        if (recording) {
            long[] entry = byOp.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
            entry[0]++;
            entry[1] += System.nanoTime() - started;
        }
    }

    /** The recorded steps. */
    public int steps() {
        return steps;
    }

    /** Every op type seen, the most time first; per step over the recorded steps (empty if none). */
    public List<OpTime> perStep() {
        List<OpTime> out = new ArrayList<>();
        if (steps == 0) {
            return out;
        }
        byOp.forEach((op, e) -> out.add(new OpTime(op, (double) e[0] / steps, e[1] / 1e6 / steps)));
        out.sort(Comparator.comparingDouble(OpTime::msPerStep).reversed());
        return out;
    }
}
