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

class TrainingStepTest {

    private final Transport transport = TinySetup.linearVelocity();

    private static INDArray data() {
        Nd4j.getRandom().setSeed(11);
        return Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8).muli(2).subi(1);
    }

    private static INDArray labels() {
        return Nd4j.createFromArray(0, 1, 2, 3);
    }

    @Test
    void theCapturedLossIsTheTransportLossOfTheModelBeforeTheUpdate() {
        SitModel model = SitModel.initialised(TinySetup.config(), 3);
        SitModel reference = SitModel.withWeights(TinySetup.config(), model.stateDict(), "copy");
        TrainingStep step = new TrainingStep(model, transport, 1e-3, 0.9, 0.999, 0);
        TrainingSample sample = transport.sampleTraining(data(), 5L);

        double expected = transport.loss(sample, reference.forward(sample.xt(), sample.t(), labels()));
        double captured = step.step(sample, labels());

        assertThat(captured).isCloseTo(expected, within(1e-5 * Math.abs(expected) + 1e-7));
        assertThat(step.iterations()).isEqualTo(1);
    }

    @Test
    void theFirstAdamStepMovesEachWeightWithAGradientByTheLearningRate() {
        double lr = 1e-3;
        SitModel model = SitModel.initialised(TinySetup.config(), 3);
        String key = "final_layer.linear.weight";
        INDArray before = model.stateDict().get(key);
        TrainingStep step = new TrainingStep(model, transport, lr, 0.9, 0.999, 0);
        step.step(transport.sampleTraining(data(), 5L), labels());
        INDArray moved = Transforms.abs(model.stateDict().get(key).sub(before));
        // AdamW's first update is lr * g / (|g| + eps): lr wherever the gradient is not tiny
        assertThat(moved.maxNumber().doubleValue()).isCloseTo(lr, within(lr * 1e-2));
        assertThat(moved.gt(0.9 * lr).castTo(DataType.FLOAT).meanNumber().doubleValue()).isGreaterThan(0.9);
    }

    @Test
    void repeatedStepsOnOneBatchLowerTheLoss() {
        SitModel model = SitModel.initialised(TinySetup.config(), 3);
        TrainingStep step = new TrainingStep(model, transport, 3e-3, 0.9, 0.999, 0);
        INDArray x1 = data();
        double first = 0;
        double last = 0;
        for (int i = 0; i < 40; i++) {
            // the same draws every time: a fixed regression problem
            double loss = step.step(transport.sampleTraining(x1, 5L), labels());
            if (i == 0) {
                first = loss;
            }
            last = loss;
        }
        assertThat(last).isLessThan(0.7 * first);
    }

    @Test
    void restoredOptimizerStateContinuesExactly() {
        SitModel a = SitModel.initialised(TinySetup.config(), 3);
        TrainingStep stepA = new TrainingStep(a, transport, 1e-3, 0.9, 0.999, 0);
        stepA.step(transport.sampleTraining(data(), 1L), labels());
        stepA.step(transport.sampleTraining(data(), 2L), labels());

        SitModel b = SitModel.withWeights(TinySetup.config(), a.stateDict(), "checkpoint");
        TrainingStep stepB = new TrainingStep(b, transport, 1e-3, 0.9, 0.999, 0);
        Map<String, INDArray> moments = stepA.optimizerState();
        assertThat(moments).containsKey("final_layer.linear.weight.exp_avg");
        stepB.restoreOptimizerState(moments, stepA.iterations());

        double lossA = stepA.step(transport.sampleTraining(data(), 3L), labels());
        double lossB = stepB.step(transport.sampleTraining(data(), 3L), labels());
        assertThat(lossB).isEqualTo(lossA);
        INDArray wa = a.stateDict().get("final_layer.linear.weight");
        INDArray wb = b.stateDict().get("final_layer.linear.weight");
        assertThat(wb.equalsWithEps(wa, 1e-7)).isTrue();
    }
}
