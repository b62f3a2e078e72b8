package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sit.core.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sit run} with {@code data.vae}: images encoded on the fly by the VAE (the tiny fixture, downsampling 4). */
class VaeTrainingTest {

    @TempDir
    static Path work;
    private static Path vae;
    private static Path images;

    @BeforeAll
    static void setUp() throws Exception {
        vae = TinyVae.copyTo(work.resolve("tiny-vae"));
        images = work.resolve("images");
        TestImages.writeJpegClasses(images, List.of("cat", "dog"), 3, 5);
    }

    /** A tiny SiT on 4x4x{inChannels} inputs; the VAE makes them from 16x16 images. */
    static String experiment(String name, Path images, String vaeSpec, int inChannels, Path results) {
        return """
                name: %s
                seed: 1
                model: {hidden_size: 32, depth: 1, num_heads: 2, patch_size: 2, input_size: 4, in_channels: %d,
                        num_classes: 2, learn_sigma: false}
                data:
                  source: {name: image-folder, options: {root: '%s', workers: 1}}
                  vae: '%s'
                  num_workers: 1
                train: {max_steps: 2, global_batch_size: 2, log_every: 1, ckpt_every: 2, lr: 1e-3}
                loggers: [metrics-file]
                results_dir: '%s'
                """.formatted(name, inChannels, images, vaeSpec, results);
    }

    private static List<Path> runFolders(Path results) throws Exception {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(results)) {
            return s.toList();
        }
    }

    @Test
    void trainsOnImagesEncodedByTheVae() throws Exception {
        Path results = work.resolve("results-ok");
        Path file = work.resolve("ok.yaml");
        Files.writeString(file, experiment("vae-ok", images, vae.toString(), 4, results));
        CommandLineRun run = CommandLineRun.of("run", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("VAE weights").contains("training done: 2 steps");
        List<Path> folders = runFolders(results);
        assertThat(folders).hasSize(1);
        List<String> lines = Files.readAllLines(folders.get(0).resolve("metrics.jsonl"));
        ObjectMapper json = new ObjectMapper();
        long losses = 0;
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            JsonNode loss = n.findValue("loss");
            if (loss != null) {
                assertThat(Double.isFinite(loss.asDouble())).isTrue();
                losses++;
            }
        }
        assertThat(losses).isEqualTo(2);
        try (Stream<Path> ckpts = Files.list(folders.get(0).resolve("checkpoints"))) {
            assertThat(ckpts.count()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void missingVaeWeightsStopTheRunBeforeItStartsWithInstructions() throws Exception {
        Path results = work.resolve("results-missing");
        Path file = work.resolve("missing.yaml");
        Files.writeString(file, experiment("vae-missing", images, "ema", 4, results));
        Path emptyRoot = work.resolve("no-vaes");
        CommandLineRun run = TinyVae.withVaeRoot(emptyRoot, () -> CommandLineRun.of("run", file.toString()));
        // the user's setup is incomplete (a usage error, issue 11's contract): exit 2, naming data.vae
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("data.vae");
        assertThat(run.err()).contains("stabilityai/sd-vae-ft-ema")
                .contains(emptyRoot.resolve("sd-vae-ft-ema").toString())
                .contains("diffusion_pytorch_model.safetensors").contains("curl -L")
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("training");
        assertThat(runFolders(results)).as("no run folder for a run that cannot start").isEmpty();
    }

    @Test
    void modelChannelsThatAreNotTheLatentChannelsAreExplained() throws Exception {
        Path file = work.resolve("channels.yaml");
        Files.writeString(file, experiment("vae-channels", images, vae.toString(), 3, work.resolve("results-channels")));
        CommandLineRun run = CommandLineRun.of("run", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("model.in_channels is 3").contains("set model.in_channels: 4");
    }
}
