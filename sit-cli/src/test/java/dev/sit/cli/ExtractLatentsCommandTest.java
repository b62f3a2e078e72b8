package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.core.data.ImageFolderOptions;
import dev.sit.core.data.ImageFolderSource;
import dev.sit.core.data.LatentManifest;
import dev.sit.core.data.LatentShardsSource;
import dev.sit.core.data.LatentsOptions;
import dev.sit.core.image.TestImages;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.LatentExtraction;
import dev.sit.core.vae.LatentSampling;
import dev.sit.core.vae.VaeWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code sit extract-latents} with the tiny VAE fixture (downsampling 4) on generated JPEGs. */
class ExtractLatentsCommandTest {

    @TempDir
    static Path work;
    private static Path vae;
    private static Path images;

    @BeforeAll
    static void setUp() throws Exception {
        vae = TinyVae.copyTo(work.resolve("tiny-vae"));
        images = work.resolve("images");
        TestImages.writeJpegClasses(images, List.of("a", "b", "c"), 2, 9);
    }

    @Test
    void writesLatentShardsThatTheLatentsDatasetReadsBack() throws Exception {
        Path out = work.resolve("latents");
        CommandLineRun run = CommandLineRun.of("extract-latents", "--data", "image-folder", "--root", images.toString(),
                "--vae", vae.toString(), "--image-size", "16", "--shard-size", "4", "--batch-size", "3", "--seed", "3",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote 6 latents").contains("images/s");
        assertThat(run.err()).contains("extract");
        LatentManifest m = LatentManifest.read(out);
        assertThat(m.latentShape()).containsExactly(4, 4, 4);
        assertThat(m.shards()).extracting(LatentManifest.Shard::count).containsExactly(4L, 2L);

        AutoencoderKl api = new AutoencoderKl(VaeWeights.load(vae));
        try (Dataset x = new ImageFolderSource(new ImageFolderOptions(images.toString(), 16, false, 1, 0, null))
                .open(new DatasetContext(work, 16, 0));
             Dataset z = new LatentShardsSource(new LatentsOptions(out.toString(), "open")).open(new DatasetContext(work, 4, 0))) {
            long[] all = {0, 1, 2, 3, 4, 5};
            Batch xs = x.load(all, 0);
            Batch zs = z.load(all, 0);
            assertThat(zs.y().toLongVector()).containsExactly(0, 0, 1, 1, 2, 2);
            for (int i = 0; i < all.length; i++) {
                INDArray expected = api.encode(xs.x().get(NDArrayIndex.interval(i, i + 1)).dup(), LatentSampling.SAMPLE,
                        LatentExtraction.seedOf(3, i, false));
                double diff = zs.x().get(NDArrayIndex.interval(i, i + 1)).sub(expected).amaxNumber().doubleValue();
                assertThat(diff).as("latent " + i).isLessThan(1e-5);
            }
        }

        // the same data from an experiment: image size = input_size 4 x downsampling 4, its random flips off
        Path yaml = work.resolve("exp.yaml");
        Files.writeString(yaml, VaeTrainingTest.experiment("x", images, vae.toString(), 4, work.resolve("unused")));
        Path fromExperiment = work.resolve("from-experiment");
        run = CommandLineRun.of("extract-latents", "--experiment", yaml.toString(), "--shard-size", "4", "--seed", "3",
                "--out", fromExperiment.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        LatentManifest e = LatentManifest.read(fromExperiment);
        assertThat(e.metadata()).containsEntry("image_size", 16);
        assertThat(e.shards()).extracting(LatentManifest.Shard::latentsSha256)
                .containsExactlyElementsOf(m.shards().stream().map(LatentManifest.Shard::latentsSha256).toList());
    }

    @Test
    void aMissingVaeIsExplainedAndNothingIsWritten() throws Exception {
        Path out = work.resolve("never");
        Path root = work.resolve("empty-root");
        CommandLineRun run = TinyVae.withVaeRoot(root, () -> CommandLineRun.of("extract-latents", "--data", "image-folder",
                "--root", images.toString(), "--vae", "mse", "--out", out.toString()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("stabilityai/sd-vae-ft-mse").contains(root.resolve("sd-vae-ft-mse").toString())
                .contains("curl -L").doesNotContain("\tat ");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void usageMistakesAreExplained() {
        CommandLineRun run = CommandLineRun.of("extract-latents", "--vae", vae.toString(), "--out",
                work.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--data image-folder --root DIR").contains("--experiment FILE");
        run = CommandLineRun.of("extract-latents", "--data", "image-folder", "--root", images.toString(), "--vae",
                vae.toString(), "--image-size", "18", "--out", work.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not a multiple of the VAE's downsampling factor 4");
        run = CommandLineRun.of("extract-latents", "--data", "image-folder", "--root", images.toString(), "--vae",
                vae.toString(), "--image-size", "16", "--flip", "--shard-size", "3", "--out", work.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("even");
    }
}
