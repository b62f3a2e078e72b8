package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sit.core.config.TrainSection;
import dev.sit.core.engine.RunListener;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.model.SitModel;
import dev.sit.core.parallel.InProcessCommunicator;
import dev.sit.core.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.replicas: 2} through the whole training loop: the loss curve of the single-process
 * fit path within float summation order (relative 1e-4 over 20 steps), one checkpoint per step
 * written once with model, EMA and Adam state, and a resumed data-parallel run that continues it.
 */
class DataParallelTrainingTest {

    @TempDir
    Path dir;

    private final Transport transport = TinySetup.linearVelocity();

    private static TrainSection settings(long maxSteps, int replicas) {
        return new TrainSection(null, maxSteps, 4, 1e-3, 0.01, null, null, 0.99, 1, 10, 1000, 5, null, null, null, null,
                replicas, null);
    }

    private Trainer.Result train(TrainSection settings, TrainerTest.LossRecorder recorder, CheckpointStore store,
            Optional<CheckpointStore.Checkpoint> from) throws Exception {
        SitModel model = SitModel.initialised(TinySetup.config(), 7);
        MemoryDataset data = new MemoryDataset(12, 3, 8, 4, 1);
        if (settings.replicas() == 1) {
            TrainingStep step = new TrainingStep(model, transport, settings.lr(), settings.beta1(), settings.beta2(),
                    settings.weightDecay());
            Trainer.Parts parts = new Trainer.Parts(step, transport, new EmaWeights(model, settings.emaDecay()), data, null,
                    new LabelDropout(TinySetup.config()), List.of(recorder), null, store, "name: test\n");
            return new Trainer(parts, settings, 42, RunListener.NONE).run(from);
        }
        List<GradientStep> steps = new ArrayList<>();
        for (int r = 0; r < settings.replicas(); r++) {
            SitModel m = r == 0 ? model : SitModel.withWeights(TinySetup.config(), model.stateDict(), "replica");
            steps.add(new GradientStep(m, transport, settings.lr(), settings.beta1(), settings.beta2(), settings.weightDecay()));
        }
        try (DataParallelStep replicas = new DataParallelStep(steps, new InProcessCommunicator())) {
            Trainer.Parts parts = new Trainer.Parts(null, transport, new EmaWeights(model, settings.emaDecay()), data, null,
                    new LabelDropout(TinySetup.config()), List.of(recorder), null, store, "name: test\n");
            return new Trainer(parts, settings, 42, RunListener.NONE).withDataParallel(replicas).run(from);
        }
    }

    @Test
    void twoReplicasTrainTheLossCurveOfOneAndResumeFromTheirCheckpoint() throws Exception {
        TrainerTest.LossRecorder one = new TrainerTest.LossRecorder();
        train(settings(20, 1), one, new CheckpointStore(dir.resolve("one"), 3), Optional.empty());
        TrainerTest.LossRecorder two = new TrainerTest.LossRecorder();
        CheckpointStore store = new CheckpointStore(dir.resolve("two"), 3);
        train(settings(10, 2), two, store, Optional.empty());
        CheckpointStore.Checkpoint half = CheckpointStore.read(store.latest().orElseThrow());
        assertThat(half.state().step()).isEqualTo(10);
        assertThat(half.optimizer()).containsKey("final_layer.linear.weight.exp_avg_sq");
        assertThat(half.ema()).containsKey("final_layer.linear.weight");
        train(settings(20, 2), two, store, Optional.of(half));

        assertThat(two.losses).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(two.losses.get(i)).as("loss at step %d", i + 1)
                    .isCloseTo(one.losses.get(i), within(1e-4 * Math.abs(one.losses.get(i))));
        }
        // the curve went somewhere: a loop that did not train would log a flat line
        assertThat(one.losses.get(19)).isNotEqualTo(one.losses.get(0));
    }

    @Test
    void aGlobalBatchThatDoesNotSplitIsRefused() {
        assertThatThrownBy(() -> new TrainSection(null, 1L, 6, null, null, null, null, null, null, null, null, null, null, null, null,
                null, 4, null))
                .hasMessageContaining("global_batch_size 6").hasMessageContaining("replicas 4");
    }
}
