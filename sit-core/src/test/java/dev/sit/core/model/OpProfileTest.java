package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;

/** {@code sit bench --ops}: the op profile counts what the graph runs and times only the timed steps. */
class OpProfileTest {

    private static final SitConfig TINY = new SitConfig(32, 2, 2, 2, 8, 4, 10, false, 4.0, 0.1);

    @Test
    void aForwardPassRunsEveryOpOfTheGraphOncePerStep() {
        ModelBenchmark.Result r = ModelBenchmark.run(
                new ModelBenchmark.Settings(TINY, 2, 1, 0, 3, true, 0, 1, true), line -> { });
        // each op the output depends on runs once per pass
        Map<String, Long> inGraph = opsBehind(SitModel.initialised(TINY, 0).sameDiff(), SitModel.OUTPUT).stream()
                .collect(Collectors.groupingBy(op -> op.getOp().opName(), TreeMap::new, Collectors.counting()));
        Map<String, Long> perStep = r.forwardOps().stream()
                .collect(Collectors.toMap(OpProfile.OpTime::op, o -> Math.round(o.callsPerStep()), (a, b) -> a, TreeMap::new));
        assertThat(perStep).isEqualTo(inGraph);
        assertThat(r.forwardOps()).allSatisfy(o -> assertThat(o.callsPerStep()).isEqualTo(Math.rint(o.callsPerStep())));
        // sorted by time, and all inside the timed passes (the warm-up pass is not recorded)
        assertThat(r.forwardOps()).isSortedAccordingTo((a, b) -> Double.compare(b.msPerStep(), a.msPerStep()));
        assertThat(r.forwardOps().stream().mapToDouble(OpProfile.OpTime::msPerStep).sum())
                .isLessThanOrEqualTo(r.forward().meanMs());
        assertThat(r.trainOps()).isEmpty();
    }

    @Test
    void aTrainingStepRunsTheSameOpsEveryStepWithinTheStepsTime() {
        ModelBenchmark.Result r = ModelBenchmark.run(
                new ModelBenchmark.Settings(TINY, 2, 2, 3, 1, true, 0, 1, true), line -> { });
        assertThat(r.trainOps()).extracting(OpProfile.OpTime::op).contains("matmul", "matmul_bp", "softmax", "softmax_bp");
        // 3 timed steps of the same graph: every op type runs a whole number of times per step
        assertThat(r.trainOps()).allSatisfy(o -> assertThat(o.callsPerStep()).isEqualTo(Math.rint(o.callsPerStep())));
        assertThat(r.trainOps().stream().mapToDouble(OpProfile.OpTime::msPerStep).sum())
                .isLessThanOrEqualTo(r.train().meanMs());
    }

    /** The ops that {@code variable} is computed from, found by walking the graph back from it. */
    private static Set<SameDiffOp> opsBehind(SameDiff sd, String variable) {
        Set<SameDiffOp> ops = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(variable));
        while (!pending.isEmpty()) {
            String op = sd.getVariables().get(pending.pop()).getOutputOfOp();
            if (op != null && ops.add(sd.getOps().get(op))) {
                pending.addAll(sd.getOps().get(op).getInputsToOp());
            }
        }
        return ops;
    }

    @Test
    void withoutTheProfileNothingIsRecorded() {
        ModelBenchmark.Result r = ModelBenchmark.run(new ModelBenchmark.Settings(TINY, 2, 1, 1, 1, true, 0), line -> { });
        assertThat(r.forwardOps()).isEmpty();
        assertThat(r.trainOps()).isEmpty();
    }
}
