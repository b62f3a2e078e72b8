package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import dev.sit.core.io.SafetensorsFile;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sit sweep}: a 2x1 grid of tiny runs writes sweep.csv, sweep.md and sweep.png whose metric is
 * each run's own last logged loss, a re-run skips the finished runs, and a bad sweep file is refused
 * with every problem at its file:line:column.
 */
class SweepCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path base() throws Exception {
        SitConfig config = new SitConfig(32, 1, 2, 4, 16, 3, 10, false, 4.0, 0.1);
        Path weights = dir.resolve("init.safetensors");
        SafetensorsFile.write(weights, SitModel.initialised(config, 0).stateDict(), Map.of());
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, """
                name: tiny
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 4, input_size: 16, in_channels: 3,
                        num_classes: 10, learn_sigma: false, ckpt: %s}
                data: {source: {name: shapes, options: {size: 64}}, vae: none, num_workers: 1}
                train: {max_steps: 10, global_batch_size: 8, log_every: 1, ckpt_every: 100, lr: 1e-3}
                loggers: [metrics-file]
                """.formatted(weights));
        return file;
    }

    private static double lastLoss(Path runFolder) throws Exception {
        List<String> lines = Files.readAllLines(runFolder.resolve("metrics.jsonl"));
        double loss = Double.NaN;
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (node.has("loss")) {
                loss = node.get("loss").asDouble();
            }
        }
        return loss;
    }

    @Test
    void aGridRunsEveryVariantWritesTheReportsAndSkipsFinishedRunsOnARerun() throws Exception {
        base();
        Path sweepFile = dir.resolve("sweep.yaml");
        Files.writeString(sweepFile, """
                name: tiny-sweep
                base: tiny.yaml
                set:
                  train.max_steps: 2
                  train.warmup_steps: 1
                  sample: [{mode: ODE, method: euler, num_steps: 3, cfg_scale: 1.0, labels: [0, 1], time_shift: 3.0}]
                grid:
                  transport.time_sampler: [uniform, {name: logit-normal, options: {mean: 0.5}}]
                metric: loss
                results_dir: %s
                """.formatted(dir.resolve("results")));
        CommandLineRun first = CommandLineRun.of("sweep", sweepFile.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();

        // the sampling grids were shifted (sample.time_shift)
        assertThat(first.err()).contains("2 steps on the output grid, time shift 3.0");
        Path folder = dir.resolve("results/tiny-sweep");
        List<String> csv = Files.readAllLines(folder.resolve("sweep.csv"));
        assertThat(csv.get(0)).isEqualTo("variant,transport.time_sampler,loss,final_loss,steps,seconds,run_folder");
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).startsWith("uniform,uniform,");
        assertThat(csv.get(2)).startsWith("logit-normal-mean-0.5,\"logit-normal{\"\"mean\"\":0.5}\",");
        for (String row : csv.subList(1, 3)) {
            String[] cells = row.split(",");
            Path runFolder = Path.of(cells[cells.length - 1]);
            assertThat(runFolder.getParent()).isEqualTo(folder);
            // the metric is the run's own last logged loss, and it trained the 2 steps of set:
            assertThat(Double.parseDouble(cells[cells.length - 5])).isCloseTo(lastLoss(runFolder),
                    org.assertj.core.api.Assertions.within(1e-5));
            assertThat(cells[cells.length - 3]).isEqualTo("2");
            assertThat(Files.readString(runFolder.resolve("experiment.yaml"))).contains("warmup_steps: 1");
            assertThat(runFolder.resolve("samples/ode-0-euler.png")).exists();
        }
        assertThat(Files.readString(folder.resolve("runs/logit-normal-mean-0.5.json"))).contains("\"metric\"");
        assertThat(Files.readString(folder.resolve("sweep.md"))).startsWith("| variant | transport.time_sampler | loss |")
                .contains("|---|");
        assertThat(first.out()).contains("| variant |").contains("best by loss: ");
        BufferedImage chart = ImageIO.read(folder.resolve("sweep.png").toFile());
        assertThat(chart.getWidth()).isEqualTo(760);
        assertThat(chart.getHeight()).isEqualTo(44 + 20 + 2 * 28);

        String csvBefore = Files.readString(folder.resolve("sweep.csv"));
        CommandLineRun second = CommandLineRun.of("sweep", sweepFile.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("variant 1/2 uniform already finished").contains("variant 2/2 logit-normal-mean-0.5 already finished");
        try (Stream<Path> runs = Files.list(folder)) {
            assertThat(runs.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("000-uniform", "001-logit-normal-mean-0.5", "runs");
        }
        assertThat(Files.readString(folder.resolve("sweep.csv"))).isEqualTo(csvBefore);
    }

    @Test
    void anInterruptedVariantResumesFromItsCheckpointInItsOwnRunFolder() throws Exception {
        base();
        Path sweepFile = dir.resolve("resume.yaml");
        String text = """
                name: resumable
                base: tiny.yaml
                set: {train.max_steps: STEPS, train.lr_schedule: linear, train.min_lr: 1e-4}
                runs:
                  - {transport.time_sampler: uniform}
                  - {transport.time_sampler: mode}
                results_dir: %s
                """.formatted(dir.resolve("results"));
        Files.writeString(sweepFile, text.replace("STEPS", "1"));
        assertThat(CommandLineRun.of("sweep", sweepFile.toString()).exitCode()).isZero();
        Path folder = dir.resolve("results/resumable");
        // the first variant was interrupted after its checkpoint at step 1: no summary; the schedule is longer now
        Files.delete(folder.resolve("runs/uniform.json"));
        Files.writeString(sweepFile, text.replace("STEPS", "3"));
        CommandLineRun again = CommandLineRun.of("sweep", sweepFile.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("resuming from").contains("variant 2/2 mode already finished");
        List<String> csv = Files.readAllLines(folder.resolve("sweep.csv"));
        assertThat(csv.get(1)).startsWith("uniform,uniform,").contains(",3,").endsWith(folder.resolve("000-uniform").toString());
        assertThat(csv.get(2)).startsWith("mode,mode,").contains(",1,");
        try (Stream<Path> runs = Files.list(folder)) {
            assertThat(runs.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("000-uniform", "001-mode", "runs");
        }
        // the resumed run logged steps 2 and 3 after step 1, in one metrics file
        assertThat(Files.readAllLines(folder.resolve("000-uniform/metrics.jsonl")).stream()
                .filter(l -> l.contains("\"loss\"")).count()).isEqualTo(3);
    }

    @Test
    void aMetricTheRunsDoNotReportIsNamedWithTheAvailableOnesAndLeftEmpty() throws Exception {
        base();
        Path sweepFile = dir.resolve("fid.yaml");
        Files.writeString(sweepFile, """
                name: by-fid
                base: tiny.yaml
                set: {train.max_steps: 1}
                runs: [{train.lr: 2e-3}]
                metric: fid
                results_dir: %s
                """.formatted(dir.resolve("results")));
        CommandLineRun run = CommandLineRun.of("sweep", sweepFile.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("reported no 'fid' (it has epoch, images_per_sec, loss, lr, steps_per_sec, final_loss, steps, seconds)");
        List<String> csv = Files.readAllLines(dir.resolve("results/by-fid/sweep.csv"));
        assertThat(csv.get(0)).startsWith("variant,train.lr,fid,final_loss,");
        assertThat(csv.get(1)).startsWith("0.002,0.002,,");
        // the summary of a run without the metric reads back on a re-run
        CommandLineRun again = CommandLineRun.of("sweep", sweepFile.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("already finished (fid = NaN); skipped");
        assertThat(Files.readAllLines(dir.resolve("results/by-fid/sweep.csv"))).isEqualTo(csv);
    }

    @Test
    void theSweepNamesTheWandbGroupUnlessTheEnvironmentDoes() throws Exception {
        base();
        Path sweepFile = dir.resolve("group.yaml");
        Files.writeString(sweepFile, "name: grouped\nbase: tiny.yaml\nruns: [{train.lr: 2e-3}]\n");
        var definition = dev.sit.core.sweep.SweepDefinition.read(sweepFile);
        assertThat(dev.sit.core.sweep.Sweep.environment(definition, Map.of("HOME", "/h")))
                .containsEntry("WANDB_RUN_GROUP", "grouped").containsEntry("HOME", "/h");
        assertThat(dev.sit.core.sweep.Sweep.environment(definition, Map.of("WANDB_RUN_GROUP", "mine")))
                .containsEntry("WANDB_RUN_GROUP", "mine");
        assertThat(definition.variants()).extracting(dev.sit.core.sweep.SweepVariant::label).containsExactly("0.002");
    }

    @Test
    void aBadSweepFileIsRefusedWithEveryProblemAtItsLine() throws Exception {
        base();
        Path sweepFile = dir.resolve("bad.yaml");
        Files.writeString(sweepFile, """
                name: bad sweep
                base: missing.yaml
                grid:
                  transport.path: Linear
                metrc: loss
                goal: smallest
                """);
        CommandLineRun run = CommandLineRun.of("sweep", sweepFile.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("bad.yaml:1:7: name: 'bad sweep' may only use letters")
                .contains("bad.yaml:2:7: base: the base experiment missing.yaml does not exist")
                .contains("bad.yaml:4:19: grid.transport.path: must be a non-empty list")
                .contains("bad.yaml:5:1: metrc: unknown key 'metrc' (did you mean metric?)")
                .contains("bad.yaml:6:7: goal: must be minimize or maximize");
        assertThat(Files.exists(dir.resolve("results"))).isFalse();
    }

    @Test
    void aValueTheExperimentRefusesIsReportedAtTheSweepFilesLineBeforeAnyRun() throws Exception {
        base();
        CommandLineRun run = refused("sweep", "values.yaml", """
                name: values
                base: tiny.yaml
                set: {train.lr_schedule: cosine}
                grid:
                  transport.time_sampler: [uniform, lognormal]
                  transport.time_shift: [1.0, -2.0]
                results_dir: %s
                """);
        assertThat(run.err()).contains("values.yaml:5:37: transport.time_sampler: unknown time-sampler 'lognormal' (did you mean logit-normal?)")
                .contains("values.yaml:6:31: transport.time_shift: value -2.0 is out of range");
    }

    @Test
    void theSweepFilesOwnProblemsAndItsVariantsProblemsAreReportedTogether() throws Exception {
        base();
        for (String command : List.of("sweep", "validate")) {
            CommandLineRun run = refused(command, "both.yaml", """
                    name: both
                    base: tiny.yaml
                    grid:
                      transport.pth: [Linear, GVP]
                    goal: smallest
                    results_dir: %s
                    """);
            assertThat(run.err()).as(command).contains("2 problems in the experiment")
                    .contains("both.yaml:5:7: goal: must be minimize or maximize")
                    .contains("both.yaml:4:3: transport.pth: unknown key 'pth' (did you mean path?)");
        }
    }

    @Test
    void anUnknownKeyIsReportedOnceAtTheKeyNotOncePerValue() throws Exception {
        base();
        CommandLineRun run = refused("sweep", "keys.yaml", """
                name: keys
                base: tiny.yaml
                set: {trian.max_steps: 2}
                grid:
                  transport.pth: [Linear, GVP, VP]
                results_dir: %s
                """);
        // three variants share each mistake: each is one problem, at the key the sweep file wrote
        assertThat(run.err()).contains("2 problems in the experiment")
                .contains("keys.yaml:3:7: trian: unknown key 'trian' (did you mean train?)")
                .contains("keys.yaml:5:3: transport.pth: unknown key 'pth' (did you mean path?)");
    }

    /**
     * Writes a sweep file (its text ends with {@code results_dir: %s}, filled with this test's results folder),
     * runs {@code command} on it and checks that it is refused with exit code 2 before anything is written.
     */
    private CommandLineRun refused(String command, String fileName, String text) throws Exception {
        Path sweepFile = dir.resolve(fileName);
        Files.writeString(sweepFile, text.formatted(dir.resolve("results")));
        CommandLineRun run = CommandLineRun.of(command, sweepFile.toString());
        assertThat(run.exitCode()).as(command).isEqualTo(2);
        // all variants are checked before the first runs: nothing was written
        assertThat(Files.exists(dir.resolve("results"))).isFalse();
        return run;
    }
}
