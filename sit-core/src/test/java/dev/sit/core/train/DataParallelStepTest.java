package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sit.core.model.SitModel;
import dev.sit.core.parallel.InProcessCommunicator;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** DDP semantics: two replicas on half batches train exactly like one replica on the whole batch. */
class DataParallelStepTest {

    private final Transport transport = TinySetup.linearVelocity();

    private DataParallelStep replicas(int n, SitModel start) {
        List<GradientStep> steps = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            steps.add(new GradientStep(SitModel.withWeights(TinySetup.config(), start.stateDict(), "copy"), transport,
                    1e-3, 0.9, 0.999, 0.01));
        }
        return new DataParallelStep(steps, new InProcessCommunicator());
    }

    @Test
    void twoReplicasFollowTheLossCurveOfOneWithinFloatSummationOrder() {
        SitModel start = SitModel.initialised(TinySetup.config(), 3);
        Nd4j.getRandom().setSeed(11);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 8, 3, 8, 8).muli(2).subi(1);
        INDArray labels = Nd4j.createFromArray(0, 1, 2, 3, 3, 2, 1, 0);
        try (DataParallelStep one = replicas(1, start); DataParallelStep two = replicas(2, start)) {
            for (int step = 0; step < 6; step++) {
                TrainingSample sample = transport.sampleTraining(x1, 200L + step);
                double a = one.step(sample, labels);
                double b = two.step(sample, labels);
                assertThat(b).as("loss of step %d", step).isCloseTo(a, within(1e-4 * Math.abs(a)));
            }
            Map<String, INDArray> w1 = one.replicas().get(0).model().stateDict();
            Map<String, INDArray> r0 = two.replicas().get(0).model().stateDict();
            Map<String, INDArray> r1 = two.replicas().get(1).model().stateDict();
            for (String key : w1.keySet()) {
                // the replicas stay bit-identical: they applied the same averaged gradients
                assertThat(r1.get(key)).as(key).isEqualTo(r0.get(key));
                assertThat(Transforms.abs(r0.get(key).sub(w1.get(key))).maxNumber().doubleValue()).as(key).isLessThan(1e-5);
            }
        }
    }

    @Test
    void aBatchThatDoesNotSplitEvenlyIsRefusedNamingBothSettings() {
        SitModel start = SitModel.initialised(TinySetup.config(), 3);
        try (DataParallelStep two = replicas(2, start)) {
            TrainingSample sample = transport.sampleTraining(Nd4j.zeros(DataType.FLOAT, 3, 3, 8, 8), 1L);
            assertThatThrownBy(() -> two.step(sample, Nd4j.createFromArray(0, 1, 2)))
                    .hasMessageContaining("train.global_batch_size 3").hasMessageContaining("train.replicas 2");
        }
    }
}
