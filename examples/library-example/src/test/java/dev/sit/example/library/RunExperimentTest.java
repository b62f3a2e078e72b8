package dev.sit.example.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.RunOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding program runs an experiment through the public API and hears its steps and images. */
class RunExperimentTest {

    @Test
    void runsAnExperimentAndReportsLossesAndTheGrid(@TempDir Path tmp) throws Exception {
        Path experiment = tmp.resolve("tiny.yaml");
        Files.writeString(experiment, """
                name: tiny
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 4, input_size: 16, in_channels: 3,
                        num_classes: 10, learn_sigma: false}
                data: {source: {name: shapes, options: {size: 256}}, vae: none, num_workers: 1}
                train: {max_steps: 4, global_batch_size: 8, log_every: 2, ckpt_every: 4}
                sample: [{mode: ODE, method: euler, num_steps: 3, cfg_scale: 1.0, labels: [0, 1, 2, 3]}]
                loggers: []
                """ + "results_dir: " + tmp.resolve("results") + "\n");
        List<Long> steps = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        RunOutcome outcome = RunExperiment.run(experiment, List.of(), new RunListener() {
            @Override
            public void stepLogged(long step, Map<String, Double> scalars) {
                assertThat(scalars.get("loss")).isFinite().isPositive();
                steps.add(step);
            }

            @Override
            public void imageProduced(long step, Path file, String caption) {
                images.add(file);
            }
        });
        assertThat(steps).containsExactly(2L, 4L);
        assertThat(outcome.trainedToStep()).isEqualTo(4);
        assertThat(images).hasSize(1);
        assertThat(images.get(0)).isRegularFile().hasFileName("ode-0-euler.png");
        assertThat(outcome.runFolder()).hasValueSatisfying(folder -> assertThat(folder.resolve("checkpoints/0000004")).isDirectory());
    }
}
