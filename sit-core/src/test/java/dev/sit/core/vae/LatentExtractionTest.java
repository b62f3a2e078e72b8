package dev.sit.core.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.core.data.ImageFolderOptions;
import dev.sit.core.data.ImageFolderSource;
import dev.sit.core.data.LatentManifest;
import dev.sit.core.data.LatentShardWriter;
import dev.sit.core.data.LatentsOptions;
import dev.sit.core.image.TestImages;
import dev.sit.core.data.LatentShardsSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code sit extract-latents}' engine with the tiny VAE fixture (downsampling 4) on generated JPEGs. */
class LatentExtractionTest {

    private static final int SIZE = 16;
    private static final long SEED = 7;

    @TempDir
    static Path work;
    private static Path images;
    private static AutoencoderKl vae;

    @BeforeAll
    static void setUp() throws Exception {
        vae = new AutoencoderKl(VaeWeights.load(VaeGolden.resource("golden/vae-tiny/diffusers")));
        images = work.resolve("images");
        TestImages.writeJpegClasses(images, List.of("cat", "dog"), 7, 11);
    }

    static Dataset openImages() throws IOException {
        return new ImageFolderSource(new ImageFolderOptions(images.toString(), SIZE, false, 2, 2, null))
                .open(new DatasetContext(work, SIZE, 0));
    }

    static Dataset openLatents(Path dir) throws IOException {
        return new LatentShardsSource(new LatentsOptions(dir.toString(), "open")).open(new DatasetContext(work, SIZE, 0));
    }

    static LatentExtraction.Result extract(Dataset data, Path out, int batch, int shard, boolean flip) throws IOException {
        return LatentExtraction.run(data, vae, out, new LatentExtraction.Settings(SIZE, batch, shard, SEED, flip, "tiny",
                "test images"), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void latentsEqualTheVaeEncodingOfEachImageWithItsSeed() throws Exception {
        Path out = work.resolve("plain");
        try (Dataset data = openImages()) {
            LatentExtraction.Result r = extract(data, out, 3, 4, false);
            assertThat(r.imagesEncoded()).isEqualTo(14);
            assertThat(r.latents()).isEqualTo(14);
            LatentManifest m = LatentManifest.read(out);
            assertThat(m.latentShape()).containsExactly(4, 4, 4);   // the tiny VAE downsamples by 4
            assertThat(m.shards()).extracting(LatentManifest.Shard::count).containsExactly(4L, 4L, 4L, 2L);
            assertThat(m.classNames()).containsExactly("cat", "dog");
            assertThat(m.metadata()).containsEntry("image_size", SIZE).containsEntry("vae", "tiny");
            assertThat(Files.exists(out.resolve(LatentShardWriter.PROGRESS_FILE))).isFalse();
            long[] all = new long[14];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            Batch x = data.load(all, 0);
            try (Dataset latents = openLatents(out)) {
                Batch z = latents.load(all, 0);
                assertThat(z.y()).isEqualTo(x.y());
                for (int i = 0; i < 14; i++) {
                    INDArray one = x.x().get(NDArrayIndex.interval(i, i + 1)).dup();
                    INDArray expected = vae.encode(one, LatentSampling.SAMPLE, LatentExtraction.seedOf(SEED, i, false));
                    VaeGolden.assertClose(z.x().get(NDArrayIndex.interval(i, i + 1)), expected, 1e-5, 1e-5, "latent " + i);
                }
                // sampled, not the mean: the noise shows
                INDArray mean = vae.encode(x.x(), LatentSampling.MEAN, 0);
                assertThat(z.x().sub(mean).amaxNumber().doubleValue()).isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void flipAddsTheMirrorImageAfterEachImage() throws Exception {
        Path out = work.resolve("flip");
        try (Dataset data = openImages()) {
            extract(data, out, 5, 6, true);
            Batch x = data.load(new long[] {0, 9}, 0);
            try (Dataset latents = openLatents(out)) {
                assertThat(latents.size()).isEqualTo(28);
                Batch z = latents.load(new long[] {0, 1, 18, 19}, 0);
                assertThat(z.y().toLongVector()).containsExactly(0, 0, 1, 1);
                INDArray img9 = x.x().get(NDArrayIndex.interval(1, 2)).dup();
                INDArray mirrored = LatentExtraction.mirrored(img9);
                assertThat(mirrored.getDouble(0, 1, 3, 0)).isEqualTo(img9.getDouble(0, 1, 3, SIZE - 1));
                VaeGolden.assertClose(z.x().get(NDArrayIndex.interval(2, 3)),
                        vae.encode(img9, LatentSampling.SAMPLE, LatentExtraction.seedOf(SEED, 9, false)), 1e-5, 1e-5, "9");
                VaeGolden.assertClose(z.x().get(NDArrayIndex.interval(3, 4)),
                        vae.encode(mirrored, LatentSampling.SAMPLE, LatentExtraction.seedOf(SEED, 9, true)), 1e-5, 1e-5,
                        "9 mirrored");
            }
        }
        assertThatThrownBy(() -> new LatentExtraction.Settings(SIZE, 2, 5, 0, true, "v", "s")).hasMessageContaining("even");
    }

    @Test
    void anInterruptedExtractionContinuesAfterItsLastCompleteShard() throws Exception {
        Path straight = work.resolve("straight");
        Path resumed = work.resolve("resumed");
        try (Dataset data = openImages()) {
            extract(data, straight, 4, 3, false);
            // dies while loading the third batch of 4: shards 0..1 (6 latents) are complete, the 7th and 8th are not
            Dataset dying = new FailingAfter(data, 2);
            assertThatThrownBy(() -> extract(dying, resumed, 4, 3, false)).hasMessageContaining("killed");
            assertThat(Files.exists(resumed.resolve("manifest.json"))).isFalse();
            assertThat(Files.exists(resumed.resolve("shard-000001-labels.npy"))).isTrue();
            // other settings cannot continue it
            assertThatThrownBy(() -> LatentExtraction.run(data, vae, resumed, new LatentExtraction.Settings(SIZE, 4, 3,
                    SEED + 1, false, "tiny", "test images"), new PrintStream(new ByteArrayOutputStream())))
                    .hasMessageContaining("other settings");
            LatentExtraction.Result r = extract(data, resumed, 5, 3, false);   // another batch size is fine
            assertThat(r.imagesResumed()).isEqualTo(6);
            assertThat(r.imagesEncoded()).isEqualTo(8);
        }
        LatentManifest a = LatentManifest.read(straight);
        LatentManifest b = LatentManifest.read(resumed);
        assertThat(b.count()).isEqualTo(14);
        assertThat(b.shards()).extracting(LatentManifest.Shard::latentsSha256)
                .containsExactlyElementsOf(a.shards().stream().map(LatentManifest.Shard::latentsSha256).toList());
        assertThat(b.shards()).extracting(LatentManifest.Shard::labelsSha256)
                .containsExactlyElementsOf(a.shards().stream().map(LatentManifest.Shard::labelsSha256).toList());
        try (Dataset data = openImages()) {
            assertThatThrownBy(() -> extract(data, resumed, 4, 3, false)).hasMessageContaining("already holds");
        }
    }

    /** A dataset whose loads fail after {@code ok} of them, as if the process died there. */
    private record FailingAfter(Dataset inner, int ok, int[] loads) implements Dataset {
        FailingAfter(Dataset inner, int ok) {
            this(inner, ok, new int[1]);
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public long[] exampleShape() {
            return inner.exampleShape();
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public List<String> classNames() {
            return inner.classNames();
        }

        @Override
        public Batch load(long[] indices, long augmentationSeed) {
            if (loads[0]++ >= ok) {
                throw new IllegalStateException("killed");
            }
            return inner.load(indices, augmentationSeed);
        }

        @Override
        public void close() {
        }
    }
}
