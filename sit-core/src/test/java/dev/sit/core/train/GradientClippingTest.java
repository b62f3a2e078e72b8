package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sit.core.engine.RunListener;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.model.SitModel;
import dev.sit.core.parallel.InProcessCommunicator;
import dev.sit.core.transport.Transport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code train.grad_clip}: PyTorch's clip_grad_norm_ on the global norm, applied before AdamW. */
class GradientClippingTest {

    @TempDir
    Path dir;

    private static INDArray[] gradients() {
        Nd4j.getRandom().setSeed(3);
        return new INDArray[] {Nd4j.randn(DataType.FLOAT, 3, 4), Nd4j.randn(DataType.FLOAT, 5), Nd4j.randn(DataType.FLOAT, 2, 2)};
    }

    @Test
    void aLargeGlobalNormIsScaledToTheLimitKeepingTheDirection() {
        INDArray[] g = gradients();
        INDArray[] before = {g[0].dup(), g[1].dup(), g[2].dup()};
        // sqrt(sum of squares over every array), by hand
        double sum = 0;
        for (INDArray a : g) {
            for (double v : a.dup().data().asDouble()) {
                sum += v * v;
            }
        }
        double norm = Math.sqrt(sum);
        double returned = new GradientClipping(norm / 4).clip(g);
        assertThat(returned).isCloseTo(norm, within(1e-4 * norm));
        assertThat(GradientClipping.globalNorm(g)).isCloseTo(norm / 4, within(1e-4 * norm));
        for (int i = 0; i < g.length; i++) {
            // every array by the same factor (max / (N + 1e-6))
            assertThat(g[i].div(before[i]).maxNumber().doubleValue()).isCloseTo(0.25, within(1e-5));
            assertThat(g[i].div(before[i]).minNumber().doubleValue()).isCloseTo(0.25, within(1e-5));
        }
    }

    @Test
    void aSmallGlobalNormPassesUnchanged() {
        INDArray[] g = gradients();
        INDArray[] before = {g[0].dup(), g[1].dup(), g[2].dup()};
        double norm = GradientClipping.globalNorm(g);
        assertThat(new GradientClipping(norm * 2).clip(g)).isEqualTo(norm);
        for (int i = 0; i < g.length; i++) {
            assertThat(g[i]).isEqualTo(before[i]);
        }
        assertThatThrownBy(() -> new GradientClipping(0)).hasMessageContaining("train.grad_clip");
    }

    @Test
    void trainingLogsTheGradientNormAndATightLimitChangesTheLossCurve() throws Exception {
        TrainerTest.LossRecorder loose = train(1e9);
        TrainerTest.LossRecorder tight = train(1e-3);
        assertThat(loose.gradientNorms).hasSize(6).allSatisfy(n -> assertThat(n).isFinite().isPositive());
        // the first step's gradients do not depend on the limit; what the limit changes shows from step 2 on
        assertThat(tight.losses.get(0)).isEqualTo(loose.losses.get(0));
        assertThat(tight.gradientNorms.get(0)).isEqualTo(loose.gradientNorms.get(0)).isGreaterThan(1e-3);
        assertThat(tight.losses.subList(1, 6)).isNotEqualTo(loose.losses.subList(1, 6));
    }

    private TrainerTest.LossRecorder train(double clip) throws Exception {
        Transport transport = TinySetup.linearVelocity();
        SitModel model = SitModel.initialised(TinySetup.config(), 7);
        var settings = new dev.sit.core.config.TrainSection(null, 6L, 4, 1e-3, null, null, null, 0.99, 1, 100, 1000, 1,
                null, null, null, null, null, clip);
        TrainerTest.LossRecorder recorder = new TrainerTest.LossRecorder();
        GradientStep step = new GradientStep(model, transport, settings.lr(), settings.beta1(), settings.beta2(),
                settings.weightDecay()).withClipping(new GradientClipping(settings.gradClip()));
        try (DataParallelStep path = new DataParallelStep(List.of(step), new InProcessCommunicator())) {
            Trainer.Parts parts = new Trainer.Parts(null, transport, new EmaWeights(model, settings.emaDecay()),
                    new MemoryDataset(12, 3, 8, 4, 1), null, new LabelDropout(TinySetup.config()), List.of(recorder), null,
                    new CheckpointStore(dir.resolve("c" + clip), 1), "name: clip\n");
            new Trainer(parts, settings, 42, RunListener.NONE).withDataParallel(path).run(Optional.empty());
        }
        return recorder;
    }
}
