package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.config.TrainSection;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reference train.py checkpoint (after 2 AdamW steps) continues training here. */
class ReferenceCheckpointImportTest {

    @TempDir
    Path dir;

    static final Path CHECKPOINT = Path.of("src/test/resources/golden/train-checkpoint/0000002.pt");

    @Test
    void weightsEmaMomentsAndStepAreTakenOver() throws Exception {
        CheckpointStore.Checkpoint c = ReferenceCheckpointImport.read(CHECKPOINT, 0);
        assertThat(c.state().step()).isEqualTo(2);
        assertThat(c.model()).containsKey("final_layer.linear.weight");
        assertThat(c.ema().get("final_layer.linear.weight")).isNotEqualTo(c.model().get("final_layer.linear.weight"));
        assertThat(c.optimizer()).containsKey("blocks.0.attn.qkv.weight.exp_avg").doesNotContainKey("pos_embed.exp_avg");

        // model-tiny's architecture (manifest): input 8, patch 2, 4 channels, D 64, depth 2, 4 heads, 10 classes
        SitConfig config = new SitConfig(64, 2, 4, 2, 8, 4, 10, true, 4.0, 0.1);
        SitModel model = SitModel.initialised(config, 0);
        TrainingStep step = new TrainingStep(model, TinySetup.linearVelocity(), 1e-4, 0.9, 0.999, 0);
        TrainSection settings = new TrainSection(null, 3L, 2, 1e-4, null, null, null, null, 1, 100, 1000, 1, null);
        TrainerTest.LossRecorder recorder = new TrainerTest.LossRecorder();
        Trainer.Parts parts = new Trainer.Parts(step, TinySetup.linearVelocity(), new EmaWeights(model, 0.9999),
                new MemoryDataset(6, 4, 8, 10, 2), null, new LabelDropout(config), List.of(recorder), null,
                new CheckpointStore(dir, 1), "");
        Trainer.Result result = new Trainer(parts, settings, 0, dev.sit.core.engine.RunListener.NONE).run(Optional.of(c));

        assertThat(result.steps()).isEqualTo(3);
        assertThat(recorder.steps).containsExactly(3L);
        assertThat(recorder.losses.get(0)).isFinite();
        assertThat(step.iterations()).isEqualTo(3);
    }
}
