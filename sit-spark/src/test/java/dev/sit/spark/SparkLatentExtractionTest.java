package dev.sit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.data.Dataset;
import dev.sit.cli.SitCommand;
import dev.sit.core.data.LatentManifest;
import dev.sit.core.data.LatentShardWriter;
import dev.sit.core.image.TestImages;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.ExtractionImages;
import dev.sit.core.vae.LatentExtraction;
import dev.sit.core.vae.VaeWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sit extract-latents --spark local[2]} with the tiny VAE fixture (downsampling 4) on generated JPEGs: the
 * folder (every shard and the manifest) is byte-identical to the single-process command's, with and without mirror
 * images, and an interrupted extraction resumes on Spark after its complete shards.
 */
class SparkLatentExtractionTest {

    @TempDir
    static Path work;
    private static Path vae;
    private static Path images;

    @BeforeAll
    static void setUp() throws Exception {
        vae = work.resolve("tiny-vae");
        Files.createDirectories(vae);
        for (String f : new String[] {"config.json", "diffusion_pytorch_model.safetensors"}) {
            try (InputStream in = SparkLatentExtractionTest.class.getResourceAsStream("/golden/vae-tiny/diffusers/" + f)) {
                Files.copy(in, vae.resolve(f));
            }
        }
        images = work.resolve("images");
        TestImages.writeJpegClasses(images, List.of("a", "b", "c"), 3, 9);
    }

    @Test
    void sparkLocal2WritesTheFolderOfTheSingleProcessCommandAndResumes() throws Exception {
        // 9 images, 2 latents a shard, batches of 3: five shards (the last one partial) in five partitions whose
        // batches start elsewhere than the single process's
        Map<String, byte[]> local = extract("plain-local", null, "--shard-size", "2", "--batch-size", "3");
        Map<String, byte[]> spark = extract("plain-spark", "local[2]", "--shard-size", "2", "--batch-size", "3");
        assertThat(local.keySet()).containsExactly("manifest.json", "shard-000000-labels.npy", "shard-000000-latents.npy",
                "shard-000001-labels.npy", "shard-000001-latents.npy", "shard-000002-labels.npy",
                "shard-000002-latents.npy", "shard-000003-labels.npy", "shard-000003-latents.npy",
                "shard-000004-labels.npy", "shard-000004-latents.npy");
        assertSameBytes(spark, local);
        assertThat(LatentManifest.read(work.resolve("plain-spark")).count()).isEqualTo(9);

        // with mirror images: 2 images a shard of 4
        assertSameBytes(extract("flip-spark", "local[2]", "--shard-size", "4", "--batch-size", "2", "--flip"),
                extract("flip-local", null, "--shard-size", "4", "--batch-size", "2", "--flip"));

        // interrupted after two shards (settings file, shards 0 and 1, a failed attempt's staging folder): Spark
        // encodes the rest, and the folder is the single-process one
        Path resumed = work.resolve("resumed");
        Files.createDirectories(resumed.resolve(".partition-000000004"));
        Files.write(resumed.resolve(".partition-000000004/shard-000002-latents.npy"), new byte[] {1, 2, 3});
        startExtraction(resumed);
        for (String f : List.of("shard-000000-labels.npy", "shard-000000-latents.npy", "shard-000001-labels.npy",
                "shard-000001-latents.npy")) {
            Files.write(resumed.resolve(f), local.get(f));
        }
        List<String> args = command(resumed, "local[2]", "--shard-size", "2", "--batch-size", "3");
        assertThat(SitCommand.execute(args.toArray(new String[0]))).as(String.join(" ", args)).isZero();
        assertSameBytes(contents(resumed), local);

        // every shard written but no manifest yet (ended between the last shard and the manifest): the single
        // process adopts the partial last shard and writes the same manifest
        Path sealed = work.resolve("sealed");
        startExtraction(sealed);
        local.forEach((name, bytes) -> {
            if (!name.equals("manifest.json")) {
                write(sealed.resolve(name), bytes);
            }
        });
        args = command(sealed, null, "--shard-size", "2", "--batch-size", "3");
        assertThat(SitCommand.execute(args.toArray(new String[0]))).as(String.join(" ", args)).isZero();
        assertSameBytes(contents(sealed), local);
    }

    @Test
    void partitionsAreWholeShardsCoveringTheMissingRange() {
        // 9 images from image 4, 2 images a shard: shards 2, 3, 4 (the last one of 1 image)
        assertThat(SparkLatentExtraction.partitions(4, 9, 2, 8))
                .containsExactly(new long[] {4, 6}, new long[] {6, 8}, new long[] {8, 9});
        assertThat(SparkLatentExtraction.partitions(0, 100, 10, 4))
                .containsExactly(new long[] {0, 30}, new long[] {30, 60}, new long[] {60, 90}, new long[] {90, 100});
        assertThat(SparkLatentExtraction.partitions(9, 9, 2, 8)).isEmpty();
    }

    /** Runs the command into work/NAME and returns the folder's files. */
    private static Map<String, byte[]> extract(String name, String spark, String... flags) throws Exception {
        Path out = work.resolve(name);
        List<String> args = command(out, spark, flags);
        assertThat(SitCommand.execute(args.toArray(new String[0]))).as(String.join(" ", args)).isZero();
        return contents(out);
    }

    /** What an extraction of the plain flags leaves before its first shard: the settings file. */
    private static void startExtraction(Path out) throws Exception {
        LatentExtraction.Settings settings = new LatentExtraction.Settings(16, 3, 2, 3, false, vae.toString(),
                "image-folder " + images.toAbsolutePath().normalize());
        try (Dataset opened = ExtractionImages.imageFolder(images, 16, 3, null).open()) {
            LatentExtraction.open(opened, new AutoencoderKl(VaeWeights.load(vae)), out, settings);
        }
        assertThat(out.resolve(LatentShardWriter.PROGRESS_FILE)).isRegularFile();
    }

    private static List<String> command(Path out, String spark, String... flags) {
        List<String> args = new ArrayList<>(List.of("extract-latents", "--data", "image-folder", "--root",
                images.toString(), "--vae", vae.toString(), "--image-size", "16", "--seed", "3", "--out", out.toString()));
        args.addAll(List.of(flags));
        if (spark != null) {
            args.addAll(List.of("--spark", spark));
        }
        return args;
    }

    private static Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.isRegularFile(p) ? Files.readAllBytes(p) : new byte[0]);
            }
        }
        return files;
    }

    private static void assertSameBytes(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, bytes) -> assertThat(actual.get(name)).as(name).isEqualTo(bytes));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
