package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sit.core.config.TrainSection;
import dev.sit.core.engine.RunListener;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.model.SitModel;
import dev.sit.core.parallel.InProcessCommunicator;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code train.micro_batches} (gradient accumulation): the mean of the micro-batches' gradients is the
 * whole batch's gradient, a run with micro-batches follows the loss curve of one without, and such a
 * run is reproducible byte for byte, resumed or not.
 */
class MicroBatchTest {

    @TempDir
    Path dir;

    private final Transport transport = TinySetup.linearVelocity();

    @Test
    void theMeanOfTheMicroBatchGradientsIsTheWholeBatchGradient() {
        SitModel a = SitModel.initialised(TinySetup.config(), 3);
        GradientStep whole = new GradientStep(a, transport, 1e-3, 0.9, 0.999, 0.0);
        Nd4j.getRandom().setSeed(5);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8).muli(2).subi(1);
        // distinct labels: micro-batches paired with the wrong rows' labels would change the gradient
        INDArray labels = Nd4j.createFromArray(0, 1, 2, 3);
        TrainingSample sample = transport.sampleTraining(x1, 77L);
        GradientStep.ShardGradients expected = whole.gradients(sample, labels);
        for (int k : new int[] {2, 4}) {
            SitModel b = SitModel.withWeights(TinySetup.config(), a.stateDict(), "copy");
            OutputBatches passes = new OutputBatches();
            b.sameDiff().addListeners(passes);
            GradientStep.ShardGradients got = new GradientStep(b, transport, 1e-3, 0.9, 0.999, 0.0)
                    .withMicroBatches(k).gradients(sample, labels);
            // the network really ran k passes of 4 / k images, not one of 4
            assertThat(passes.rows).as("rows of each pass, %d micro-batches", k)
                    .containsExactlyElementsOf(java.util.Collections.nCopies(k, 4L / k));
            assertThat(got.loss()).as("loss, %d micro-batches", k)
                    .isCloseTo(expected.loss(), within(1e-6 * Math.abs(expected.loss())));
            for (int i = 0; i < expected.gradients().length; i++) {
                INDArray e = expected.gradients()[i];
                double scale = Math.max(e.amaxNumber().doubleValue(), 1e-12);
                double diff = Transforms.abs(got.gradients()[i].sub(e)).maxNumber().doubleValue();
                assertThat(diff / scale).as("gradient %d, %d micro-batches", i, k).isLessThan(1e-4);
            }
        }
    }

    @Test
    void aShardThatDoesNotSplitIsRefused() {
        assertThatThrownBy(() -> new TrainSection(null, 1L, 6, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, 4))
                .hasMessageContaining("global_batch_size 6").hasMessageContaining("micro_batches 4")
                .hasMessageContaining("multiple of micro_batches");
        assertThatThrownBy(() -> new TrainSection(null, 1L, 8, null, null, null, null, null, null, null, null, null, null,
                null, null, null, 2, null, null, 3))
                .hasMessageContaining("replicas 2 x micro_batches 3").hasMessageContaining("(6)");
        assertThat(new TrainSection(null, 1L, 8, null, null, null, null, null, null, null, null, null, null,
                null, null, null, 2, null, null, null).microBatches()).isEqualTo(1);
    }

    @Test
    void aRunWithMicroBatchesFollowsTheWholeBatchCurveAndResumesByteForByte() throws Exception {
        TrainerTest.LossRecorder whole = new TrainerTest.LossRecorder();
        train(8, 1, whole, new CheckpointStore(dir.resolve("whole"), 2), Optional.empty());

        TrainerTest.LossRecorder straight = new TrainerTest.LossRecorder();
        CheckpointStore straightStore = new CheckpointStore(dir.resolve("straight"), 2);
        train(8, 2, straight, straightStore, Optional.empty());
        for (int i = 0; i < 8; i++) {
            assertThat(straight.losses.get(i)).as("loss at step %d", i + 1)
                    .isCloseTo(whole.losses.get(i), within(1e-4 * Math.abs(whole.losses.get(i))));
        }
        assertThat(straight.losses.get(7)).isNotEqualTo(straight.losses.get(0));

        TrainerTest.LossRecorder resumed = new TrainerTest.LossRecorder();
        CheckpointStore resumedStore = new CheckpointStore(dir.resolve("resumed"), 2);
        train(4, 2, resumed, resumedStore, Optional.empty());
        train(8, 2, resumed, resumedStore, Optional.of(CheckpointStore.read(resumedStore.latest().orElseThrow())));
        assertThat(resumed.losses).isEqualTo(straight.losses);
        Path a = straightStore.latest().orElseThrow();
        Path b = resumedStore.latest().orElseThrow();
        assertThat(b.getFileName()).isEqualTo(a.getFileName());
        try (var files = Files.list(a)) {
            List<Path> written = files.toList();
            assertThat(written).extracting(p -> p.getFileName().toString()).contains("model.safetensors", "optimizer.safetensors");
            for (Path f : written) {
                assertThat(Files.mismatch(f, b.resolve(f.getFileName()))).as("first differing byte of %s", f.getFileName())
                        .isEqualTo(-1L);
            }
        }
    }

    /** Records the batch size of every computation of the network's output. */
    private static final class OutputBatches extends BaseListener {
        final List<Long> rows = new java.util.ArrayList<>();

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                                INDArray[] outputs) {
            if (op.getOutputsOfOp().contains(SitModel.OUTPUT)) {
                rows.add(outputs[0].size(0));
            }
        }
    }

    private void train(long maxSteps, int microBatches, TrainerTest.LossRecorder recorder, CheckpointStore store,
                       Optional<CheckpointStore.Checkpoint> from) throws Exception {
        TrainSection settings = new TrainSection(null, maxSteps, 4, 1e-3, 0.01, null, null, 0.99, 1, 4, 1000, 5, null,
                null, null, null, null, null, null, microBatches);
        SitModel model = SitModel.initialised(TinySetup.config(), 7);
        GradientStep step = new GradientStep(model, transport, settings.lr(), settings.beta1(), settings.beta2(),
                settings.weightDecay()).withMicroBatches(settings.microBatches());
        try (DataParallelStep replicas = new DataParallelStep(List.of(step), new InProcessCommunicator())) {
            Trainer.Parts parts = new Trainer.Parts(null, transport, new EmaWeights(model, settings.emaDecay()),
                    new MemoryDataset(12, 3, 8, 4, 1), null, new LabelDropout(TinySetup.config()), List.of(recorder), null,
                    store, "name: test\n");
            new Trainer(parts, settings, 42, RunListener.NONE).withDataParallel(replicas).run(from);
        }
    }
}
