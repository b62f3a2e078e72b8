package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sit.core.config.LrSchedule;
import dev.sit.core.config.TrainSection;
import dev.sit.core.model.SitModel;
import dev.sit.core.transport.Transport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Warm-up and decay values at given steps, and the optimizer using them (also after a restore). */
class LearningRateScheduleTest {

    private static final double LR = 1e-3;
    private static final double MIN = 1e-5;

    @Test
    void warmUpRisesLinearlyToTheRateAtStepW() {
        LearningRateSchedule s = new LearningRateSchedule(LR, MIN, 10, 110, LrSchedule.COSINE);
        assertThat(s.at(0)).isCloseTo(1e-4, within(1e-15));
        assertThat(s.at(4)).isCloseTo(5e-4, within(1e-15));
        assertThat(s.at(9)).isCloseTo(LR, within(1e-15));
        assertThat(s.at(10)).isCloseTo(LR, within(1e-15));
    }

    @Test
    void cosineAndLinearDecayToMinLrAtTheLastStep() {
        LearningRateSchedule cosine = new LearningRateSchedule(LR, MIN, 10, 110, LrSchedule.COSINE);
        LearningRateSchedule linear = new LearningRateSchedule(LR, MIN, 10, 110, LrSchedule.LINEAR);
        // halfway through the decay (step 60 of 10..110): cosine and linear meet at the midpoint
        assertThat(cosine.at(60)).isCloseTo((LR + MIN) / 2, within(1e-15));
        assertThat(linear.at(60)).isCloseTo((LR + MIN) / 2, within(1e-15));
        // a quarter in: cosine min + (lr - min)(1 + cos(pi/4))/2, linear min + 0.75 (lr - min)
        assertThat(cosine.at(35)).isCloseTo(MIN + (LR - MIN) * (1 + Math.sqrt(0.5)) / 2, within(1e-15));
        assertThat(linear.at(35)).isCloseTo(MIN + 0.75 * (LR - MIN), within(1e-15));
        assertThat(cosine.at(110)).isCloseTo(MIN, within(1e-18));
        assertThat(linear.at(500)).isCloseTo(MIN, within(1e-18));
        for (long i = 11; i < 110; i++) {
            assertThat(cosine.at(i)).isLessThan(cosine.at(i - 1));
        }
    }

    @Test
    void constantIsTheReferenceAfterWarmUp() {
        LearningRateSchedule s = new TrainSection(null, 50L, 4, LR, null, null, null, null, null, null, null, null, null,
                5, LrSchedule.CONSTANT, null, null, null).schedule(50);
        assertThat(s.at(2)).isCloseTo(3 * LR / 5, within(1e-15));
        assertThat(s.at(5)).isEqualTo(LR);
        assertThat(s.at(49)).isEqualTo(LR);
        assertThat(LearningRateSchedule.constant(LR).at(0)).isEqualTo(LR);
        assertThatThrownBy(() -> new TrainSection(null, 50L, 4, LR, null, null, null, null, null, null, null, null, null,
                0, LrSchedule.COSINE, 1.0, null, null)).hasMessageContaining("train.min_lr");
    }

    private static INDArray data() {
        Nd4j.getRandom().setSeed(11);
        return Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8).muli(2).subi(1);
    }

    @Test
    void theOptimizerTakesItsFirstStepAtTheWarmUpRate() {
        Transport transport = TinySetup.linearVelocity();
        LearningRateSchedule schedule = new LearningRateSchedule(1e-2, 0, 4, 100, LrSchedule.COSINE);
        SitModel model = SitModel.initialised(TinySetup.config(), 3);
        String key = "final_layer.linear.weight";
        INDArray before = model.stateDict().get(key);
        TrainingStep step = new TrainingStep(model, transport, schedule, 0.9, 0.999, 0);
        assertThat(step.nextLearningRate()).isCloseTo(2.5e-3, within(1e-15));
        step.step(transport.sampleTraining(data(), 5L), Nd4j.createFromArray(0, 1, 2, 3));
        // AdamW's first update is lr g / (|g| + eps): the warm-up rate lr / 4, not lr
        INDArray moved = Transforms.abs(model.stateDict().get(key).sub(before));
        assertThat(moved.maxNumber().doubleValue()).isCloseTo(2.5e-3, within(2.5e-5));
        assertThat(step.nextLearningRate()).isCloseTo(5e-3, within(1e-15));
    }

    @Test
    void aRestoredOptimizerContinuesAtTheScheduleOfItsStep() {
        Transport transport = TinySetup.linearVelocity();
        LearningRateSchedule schedule = new LearningRateSchedule(1e-2, 1e-4, 2, 20, LrSchedule.LINEAR);
        SitModel model = SitModel.initialised(TinySetup.config(), 3);
        TrainingStep first = new TrainingStep(model, transport, schedule, 0.9, 0.999, 0);
        first.step(transport.sampleTraining(data(), 5L), Nd4j.createFromArray(0, 1, 2, 3));
        Map<String, INDArray> state = first.optimizerState();

        TrainingStep resumed = new TrainingStep(SitModel.withWeights(TinySetup.config(), model.stateDict(), "copy"),
                transport, schedule, 0.9, 0.999, 0);
        resumed.restoreOptimizerState(state, 12);
        assertThat(resumed.nextLearningRate()).isCloseTo(schedule.at(12), within(1e-15));
        assertThat(schedule.at(12)).isCloseTo(1e-4 + (1e-2 - 1e-4) * (1 - 10.0 / 18), within(1e-15));
    }
}
