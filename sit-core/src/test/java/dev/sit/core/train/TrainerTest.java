package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.logging.LoggedImage;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.logging.RunContext;
import dev.sit.core.config.TrainSection;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.model.SitModel;
import dev.sit.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    Path dir;

    private final Transport transport = TinySetup.linearVelocity();

    /** Remembers every logged loss by step. */
    static final class LossRecorder implements MetricsLogger {
        final List<Double> losses = new ArrayList<>();
        final List<Long> steps = new ArrayList<>();
        final List<Double> rates = new ArrayList<>();
        final List<Double> gradientNorms = new ArrayList<>();

        public void start(RunContext run) {
        }

        public void logScalars(long step, Map<String, Double> scalars) {
            steps.add(step);
            losses.add(scalars.get("loss"));
            rates.add(scalars.get("lr"));
            gradientNorms.add(scalars.get("grad_norm"));
        }

        public void logImage(long step, LoggedImage image) {
        }

        public void finish(int exitCode) {
        }
    }

    private static TrainSection settings(long maxSteps, int ckptEvery) {
        return new TrainSection(null, maxSteps, 4, 1e-3, null, null, null, 0.99, 1, ckptEvery, 1000, 5, null);
    }

    private Trainer trainer(TrainSection settings, MemoryDataset data, LossRecorder recorder, CheckpointStore store) {
        return trainer(settings, LearningRateSchedule.constant(settings.lr()), data, recorder, store);
    }

    private Trainer trainer(TrainSection settings, LearningRateSchedule schedule, MemoryDataset data, LossRecorder recorder,
                            CheckpointStore store) {
        SitModel model = SitModel.initialised(TinySetup.config(), 7);
        TrainingStep step = new TrainingStep(model, transport, schedule, settings.beta1(), settings.beta2(), settings.weightDecay());
        Trainer.Parts parts = new Trainer.Parts(step, transport, new EmaWeights(model, settings.emaDecay()), data, null,
                new LabelDropout(TinySetup.config()), List.of(recorder), null, store, "name: test\n");
        return new Trainer(parts, settings, 42, dev.sit.core.engine.RunListener.NONE);
    }

    @Test
    void aResumedRunContinuesTheSameLossCurve() throws Exception {
        MemoryDataset data = new MemoryDataset(12, 3, 8, 4, 1);
        LossRecorder straight = new LossRecorder();
        trainer(settings(6, 100), data, straight, new CheckpointStore(dir.resolve("a"), 3)).run(Optional.empty());
        assertThat(straight.losses).hasSize(6);

        LossRecorder first = new LossRecorder();
        CheckpointStore store = new CheckpointStore(dir.resolve("b"), 3);
        Trainer.Result half = trainer(settings(3, 100), data, first, store).run(Optional.empty());
        assertThat(half.lastCheckpoint()).isPresent();

        LossRecorder second = new LossRecorder();
        CheckpointStore.Checkpoint checkpoint = CheckpointStore.read(store.latest().orElseThrow());
        assertThat(checkpoint.state().step()).isEqualTo(3);
        trainer(settings(6, 100), data, second, store).run(Optional.of(checkpoint));

        List<Double> resumed = new ArrayList<>(first.losses);
        resumed.addAll(second.losses);
        assertThat(second.steps).containsExactly(4L, 5L, 6L);
        for (int i = 0; i < 6; i++) {
            assertThat(resumed.get(i)).as("loss at step %d", i + 1).isCloseTo(straight.losses.get(i),
                    org.assertj.core.api.Assertions.within(1e-6 * Math.abs(straight.losses.get(i))));
        }
        // the data position crossed an epoch (12 examples, batch 4): epochs were resumed too
        assertThat(CheckpointStore.read(store.latest().orElseThrow()).state().epoch()).isEqualTo(1);
    }

    @Test
    void aResumedRunContinuesTheLearningRateScheduleAndItsLossCurve() throws Exception {
        MemoryDataset data = new MemoryDataset(12, 3, 8, 4, 1);
        // a 6-step run with warm-up and cosine decay, once straight and once stopped after step 3
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 1e-5, 2, 6, dev.sit.core.config.LrSchedule.COSINE);
        LossRecorder straight = new LossRecorder();
        trainer(settings(6, 100), schedule, data, straight, new CheckpointStore(dir.resolve("s"), 3)).run(Optional.empty());
        LossRecorder constant = new LossRecorder();
        trainer(settings(6, 100), data, constant, new CheckpointStore(dir.resolve("k"), 3)).run(Optional.empty());

        LossRecorder first = new LossRecorder();
        CheckpointStore store = new CheckpointStore(dir.resolve("r"), 3);
        trainer(settings(3, 100), schedule, data, first, store).run(Optional.empty());
        LossRecorder second = new LossRecorder();
        trainer(settings(6, 100), schedule, data, second, store)
                .run(Optional.of(CheckpointStore.read(store.latest().orElseThrow())));

        List<Double> rates = new ArrayList<>(first.rates);
        rates.addAll(second.rates);
        List<Double> losses = new ArrayList<>(first.losses);
        losses.addAll(second.losses);
        for (int i = 0; i < 6; i++) {
            assertThat(rates.get(i)).as("lr logged at step %d", i + 1).isEqualTo(schedule.at(i));
            assertThat(straight.rates.get(i)).isEqualTo(schedule.at(i));
            assertThat(losses.get(i)).as("loss at step %d", i + 1).isCloseTo(straight.losses.get(i),
                    org.assertj.core.api.Assertions.within(1e-6 * Math.abs(straight.losses.get(i))));
        }
        // the schedule changed the training: from step 2 on the losses differ from the constant rate's
        assertThat(straight.losses.get(5)).isNotCloseTo(constant.losses.get(5),
                org.assertj.core.api.Assertions.within(1e-6 * Math.abs(constant.losses.get(5))));
    }

    @Test
    void aNanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("c"), 3);
        trainer(settings(2, 2), new MemoryDataset(8, 3, 8, 4, 1), new LossRecorder(), store).run(Optional.empty());
        Path good = store.latest().orElseThrow();

        CheckpointStore.Checkpoint checkpoint = CheckpointStore.read(good);
        assertThatThrownBy(() -> trainer(settings(4, 1), new MemoryDataset(8, 3, 8, 4, 1).poisoned(), new LossRecorder(), store)
                .run(Optional.of(checkpoint)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("step 3")
                .hasMessageContaining("NaN")
                .hasMessageContaining("train.lr");
        assertThat(store.latest()).contains(good);
        assertThat(CheckpointStore.read(good).state().step()).isEqualTo(2);
        try (var files = Files.list(dir.resolve("c"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("0000002");
        }
    }

    @Test
    void checkpointsKeepOnlyTheNewestK() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("d"), 2);
        trainer(settings(5, 1), new MemoryDataset(8, 3, 8, 4, 1), new LossRecorder(), store).run(Optional.empty());
        try (var files = Files.list(dir.resolve("d"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("0000004", "0000005");
        }
        CheckpointStore.Checkpoint last = CheckpointStore.read(store.latest().orElseThrow());
        assertThat(last.model()).containsKey("final_layer.linear.weight");
        assertThat(last.ema()).containsKey("final_layer.linear.weight");
        assertThat(last.optimizer()).containsKey("final_layer.linear.weight.exp_avg_sq");
        assertThat(last.experimentYaml()).isEqualTo("name: test\n");
    }
}
