package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.core.model.SitModel;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The gradient path (gradients, then ND4J's Adam + decoupled weight decay) is the fit path. */
class GradientStepTest {

    private final Transport transport = TinySetup.linearVelocity();

    @Test
    void fiveStepsEqualSameDiffsFitWithAdamW() {
        SitModel a = SitModel.initialised(TinySetup.config(), 3);
        SitModel b = SitModel.withWeights(TinySetup.config(), a.stateDict(), "copy");
        TrainingStep fit = new TrainingStep(a, transport, 1e-3, 0.9, 0.999, 0.05);
        GradientStep grad = new GradientStep(b, transport, 1e-3, 0.9, 0.999, 0.05);
        Nd4j.getRandom().setSeed(11);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8).muli(2).subi(1);
        INDArray labels = Nd4j.createFromArray(0, 1, 2, 3);
        for (int step = 0; step < 5; step++) {
            TrainingSample sample = transport.sampleTraining(x1, 100L + step);
            double lossFit = fit.step(sample, labels);
            GradientStep.ShardGradients g = grad.gradients(sample, labels);
            grad.apply(g.gradients());
            assertThat(g.loss()).as("loss of step %d", step).isCloseTo(lossFit, within(1e-5 * Math.abs(lossFit)));
        }
        assertThat(grad.iterations()).isEqualTo(fit.iterations()).isEqualTo(5);
        Map<String, INDArray> wa = a.stateDict();
        Map<String, INDArray> wb = b.stateDict();
        for (String key : wa.keySet()) {
            double diff = Transforms.abs(wa.get(key).sub(wb.get(key))).maxNumber().doubleValue();
            // five steps of at most lr (1e-3) each: float rounding is far below that
            assertThat(diff).as(key).isLessThan(1e-6);
        }
        // and the weights did move (a broken update would leave both paths at the start)
        SitModel start = SitModel.initialised(TinySetup.config(), 3);
        assertThat(Transforms.abs(wb.get("final_layer.linear.weight").sub(start.stateDict().get("final_layer.linear.weight")))
                .maxNumber().doubleValue()).isGreaterThan(1e-3);
    }
}
