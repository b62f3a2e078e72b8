package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.config.TrainSection;
import dev.sit.core.model.ComputeSettings;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.model.SitModel;
import dev.sit.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;

/**
 * Same seed, same settings: byte-identical checkpoints and identical losses; a run stopped and
 * resumed ends on exactly the bytes of a straight run. Seed 0 on purpose: ND4J takes a native
 * seed of 0 from the clock (SeededNativeRandom), which made two quickstart runs differ.
 */
class TrainerReproducibilityTest {

    private static final long SEED = 0;
    private static final int STEPS = 40;

    @TempDir
    Path dir;

    private final Transport transport = TinySetup.linearVelocity();
    // 20 examples, batch 4: 40 steps cross eight epochs, so the data order is resumed too
    private final MemoryDataset data = new MemoryDataset(20, 3, 8, 4, 1);

    private static TrainSection settings(long maxSteps) {
        // log every step, a checkpoint every 20 steps, class dropout 0.1 through LabelDropout
        return new TrainSection(null, maxSteps, 4, 1e-3, null, null, null, 0.99, 1, 20, 1000, 5, null);
    }

    private Trainer trainer(long maxSteps, TrainerTest.LossRecorder recorder, CheckpointStore store) {
        TrainSection s = settings(maxSteps);
        SitModel model = SitModel.initialised(TinySetup.config(), SEED);
        TrainingStep step = new TrainingStep(model, transport, s.lr(), s.beta1(), s.beta2(), s.weightDecay());
        Trainer.Parts parts = new Trainer.Parts(step, transport, new EmaWeights(model, s.emaDecay()), data, null,
                new LabelDropout(TinySetup.config()), List.of(recorder), null, store, "name: reproducible\n");
        return new Trainer(parts, s, SEED, dev.sit.core.engine.RunListener.NONE);
    }

    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(expected)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        try (Stream<Path> files = Files.list(actual)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(names);
        }
        assertThat(names).contains("model.safetensors", "ema.safetensors", "optimizer.safetensors", "state.json");
        for (String name : names) {
            assertThat(Files.mismatch(expected.resolve(name), actual.resolve(name)))
                    .as("first differing byte of %s in %s vs %s", name, actual, expected).isEqualTo(-1L);
        }
    }

    @Test
    void twoRunsWithTheSameSeedWriteTheSameBytesAndLosses() throws Exception {
        TrainerTest.LossRecorder first = new TrainerTest.LossRecorder();
        TrainerTest.LossRecorder second = new TrainerTest.LossRecorder();
        trainer(STEPS, first, new CheckpointStore(dir.resolve("a"), 5)).run(Optional.empty());
        trainer(STEPS, second, new CheckpointStore(dir.resolve("b"), 5)).run(Optional.empty());

        assertThat(first.losses).hasSize(STEPS);
        // exactly equal doubles, not close: step 1 and step 40 named by the issue, and all between
        assertThat(second.losses.get(0)).isEqualTo(first.losses.get(0));
        assertThat(second.losses.get(STEPS - 1)).isEqualTo(first.losses.get(STEPS - 1));
        assertThat(second.losses).isEqualTo(first.losses);
        // the model trained: a run that does not move would trivially reproduce
        assertThat(first.losses.get(STEPS - 1)).isLessThan(first.losses.get(0));
        assertSameBytes(dir.resolve("a/0000020"), dir.resolve("b/0000020"));
        assertSameBytes(dir.resolve("a/0000040"), dir.resolve("b/0000040"));
    }

    /**
     * {@code SIT_LOW_MEMORY=1} switches SameDiff's cache of freed arrays off (ND4J M2.1 reads the
     * switch from the system property {@code org.nd4j.autodiff.samediff} whenever a session starts):
     * arrays are then freshly allocated instead of reused, which must not change a single bit.
     */
    @Test
    void switchingSameDiffsArrayCacheOffChangesNoByte() throws Exception {
        TrainerTest.LossRecorder cached = new TrainerTest.LossRecorder();
        trainer(STEPS / 2, cached, new CheckpointStore(dir.resolve("cached"), 5)).run(Optional.empty());
        TrainerTest.LossRecorder uncached = new TrainerTest.LossRecorder();
        String before = System.getProperty(ComputeSettings.ARRAY_CACHE_PROPERTY);
        System.setProperty(ComputeSettings.ARRAY_CACHE_PROPERTY, "false");
        try {
            // the switch is the one the sessions read: a new cache is created disabled
            assertThat(new ArrayCacheMemoryMgr().isEnableCache()).isFalse();
            assertThat(ComputeSettings.memoryMode()).startsWith("low: SameDiff's array cache off");
            trainer(STEPS / 2, uncached, new CheckpointStore(dir.resolve("uncached"), 5)).run(Optional.empty());
        } finally {
            if (before == null) {
                System.clearProperty(ComputeSettings.ARRAY_CACHE_PROPERTY);
            } else {
                System.setProperty(ComputeSettings.ARRAY_CACHE_PROPERTY, before);
            }
        }
        assertThat(uncached.losses).hasSize(STEPS / 2).isEqualTo(cached.losses);
        assertSameBytes(dir.resolve("cached/0000020"), dir.resolve("uncached/0000020"));
    }

    @Test
    void stoppingAndResumingEndsOnTheBytesOfAStraightRun() throws Exception {
        TrainerTest.LossRecorder straight = new TrainerTest.LossRecorder();
        trainer(STEPS, straight, new CheckpointStore(dir.resolve("straight"), 5)).run(Optional.empty());

        CheckpointStore store = new CheckpointStore(dir.resolve("resumed"), 5);
        TrainerTest.LossRecorder firstHalf = new TrainerTest.LossRecorder();
        trainer(STEPS / 2, firstHalf, store).run(Optional.empty());
        CheckpointStore.Checkpoint half = CheckpointStore.read(store.latest().orElseThrow());
        assertThat(half.state().step()).isEqualTo(STEPS / 2);
        TrainerTest.LossRecorder secondHalf = new TrainerTest.LossRecorder();
        // a fresh model and optimizer, as a new process would build them, then the checkpoint
        trainer(STEPS, secondHalf, store).run(Optional.of(half));

        assertThat(secondHalf.steps.get(0)).isEqualTo(STEPS / 2 + 1L);
        assertThat(secondHalf.losses).isEqualTo(straight.losses.subList(STEPS / 2, STEPS));
        assertSameBytes(dir.resolve("straight/0000040"), dir.resolve("resumed/0000040"));
    }
}
