package dev.sit.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.data.ShapesDataset;
import dev.sit.core.io.NpyFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The evaluation entry point on feature files, ADM reference batches, image archives and the shapes extractor. */
class EvaluationTest {

    @TempDir
    Path dir;

    @Test
    void featureFilesGiveTheGoldenMetrics() throws IOException {
        Path ref = dir.resolve("ref.npz");
        Path sample = dir.resolve("sample.npz");
        FeatureFile.write(ref, Map.of(FeatureExtractor.POOL, EvalGolden.npy("feat_ref.npy")));
        FeatureFile.write(sample, Map.of(FeatureExtractor.POOL, EvalGolden.npy("feat_sample.npy"),
                FeatureExtractor.SOFTMAX, EvalGolden.npy("softmax_sample.npy")));
        EvalResult r = Evaluation.evaluate(EvalInput.detect(ref, "--ref"), EvalInput.detect(sample, "--sample"),
                () -> null, EvalSettings.ADM, null);
        assertThat(r.fid()).isCloseTo(EvalGolden.metric("fid"), within(1e-4 * EvalGolden.metric("fid")));
        assertThat(r.inceptionScore()).isCloseTo(EvalGolden.metric("inception_score"),
                within(1e-5 * EvalGolden.metric("inception_score")));
        assertThat(r.precision()).isCloseTo(EvalGolden.metric("precision"), within(0.0101));
        assertThat(r.recall()).isCloseTo(EvalGolden.metric("recall"), within(0.0101));
        assertThat(r.sfid()).isNull();
        assertThat(r.metrics()).containsOnlyKeys("fid", "sfid", "inception_score", "precision", "recall");
    }

    @Test
    void aReferenceBatchsStoredStatisticsAreUsedAsTheyAre() throws IOException {
        // stored statistics that differ from the features' own: the FID must follow the stored ones
        INDArray refFeatures = EvalGolden.npy("feat_ref.npy");
        FeatureStatistics own = FeatureStatistics.of(refFeatures);
        INDArray shiftedMu = own.mu().add(0.5);
        Path batch = dir.resolve("VIRTUAL_test.npz");
        writeNpz(batch, Map.of("mu", shiftedMu, "sigma", own.sigma()));
        Path sample = dir.resolve("sample.npz");
        FeatureFile.write(sample, Map.of(FeatureExtractor.POOL, EvalGolden.npy("feat_sample.npy")));
        EvalInput ref = EvalInput.detect(batch, "--ref");
        assertThat(ref.kind()).isEqualTo(EvalInput.Kind.REFERENCE_BATCH);
        EvalResult r = Evaluation.evaluate(ref, EvalInput.detect(sample, "--sample"), () -> null, EvalSettings.ADM, null);
        double expected = FrechetDistance.between(FeatureStatistics.of(EvalGolden.npy("feat_sample.npy")),
                new FeatureStatistics(shiftedMu, own.sigma()));
        assertThat(r.fid()).isCloseTo(expected, within(1e-6 * expected));
        // recomputing from features would have given the golden FID
        assertThat(Math.abs(r.fid() - EvalGolden.metric("fid"))).isGreaterThan(10.0);
        assertThat(r.precision()).isNull();
        assertThat(r.inceptionScore()).isNull();
    }

    @Test
    void imageArchivesAreEncodedOnceAndCachedByChecksum() throws IOException {
        Path images = dir.resolve("images.npz");
        writeNpz(images, Map.of("arr_0", EvalGolden.npy("images.npy")));
        InceptionExtractor inception = new InceptionExtractor(
                FidInception.load(EvalGolden.path("inception.pth"), "--inception"), Preprocessing.ADM, 4);
        FeatureSet first = EvalInput.detect(images, "--ref").load(() -> inception, EvalSettings.ADM, null);
        EvalGolden.assertMatches(first.layer(FeatureExtractor.POOL).orElseThrow(), "pool3_adm.npy");
        EvalGolden.assertMatches(first.layer(FeatureExtractor.SPATIAL).orElseThrow(), "spatial_adm.npy");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".features.npz")).toList())
                    .singleElement().asString().startsWith("images.npz." + inception.fingerprint() + ".");
        }
        FeatureExtractor failing = new FeatureExtractor() {
            public java.util.List<String> layers() {
                return inception.layers();
            }

            public Map<String, INDArray> extract(INDArray x) {
                throw new AssertionError("features should have come from the cache");
            }

            public String fingerprint() {
                return inception.fingerprint();
            }
        };
        FeatureSet second = EvalInput.detect(images, "--ref").load(() -> failing, EvalSettings.ADM, null);
        assertThat(second.layer(FeatureExtractor.POOL).orElseThrow())
                .isEqualTo(first.layer(FeatureExtractor.POOL).orElseThrow());
        // Inception features of both sides: every metric is computable; a set against itself
        EvalResult self = Evaluation.evaluate(first, second, new EvalSettings(0, 5000, 3, true), inception.fingerprint());
        assertThat(self.fid()).isCloseTo(0.0, within(1e-6));
        assertThat(self.sfid()).isCloseTo(0.0, within(1e-6));
        assertThat(self.inceptionScore()).isNotNull();
        assertThat(self.precision()).isEqualTo(1.0);
        assertThat(self.recall()).isEqualTo(1.0);
    }

    @Test
    void anImageFolderGivesTheSameFeaturesAsTheArchive() throws IOException {
        INDArray images = EvalGolden.npy("images.npy"); // (6, 64, 64, 3) uint8
        Path folder = Files.createDirectories(dir.resolve("pngs"));
        byte[] all = images.castTo(DataType.UBYTE).data().asBytes();
        int per = 64 * 64 * 3;
        for (int i = 0; i < 6; i++) {
            byte[] px = Arrays.copyOfRange(all, i * per, (i + 1) * per);
            Files.write(folder.resolve(dev.sit.core.image.PngWriter.sampleName(i)),
                    dev.sit.core.image.PngWriter.encode(new dev.sit.core.image.Uint8Image(64, 64, 3, px)));
        }
        ShapesExtractor shapes = new ShapesExtractor(new ShapesExtractorOptions(20));
        FeatureSet fromFolder = EvalInput.detect(folder, "--sample").load(() -> shapes, EvalSettings.ADM.withBatch(4), null);
        assertThat(fromFolder.count()).isEqualTo(6);
        assertThat(fromFolder.layer(FeatureExtractor.POOL).orElseThrow())
                .isEqualTo(shapes.extract(images).get(FeatureExtractor.POOL));
        Files.write(folder.resolve("zz-odd.png"), dev.sit.core.image.PngWriter.encode(
                new dev.sit.core.image.Uint8Image(32, 32, 3, new byte[32 * 32 * 3])));
        assertThatThrownBy(() -> EvalInput.detect(folder, "--sample").load(() -> shapes, EvalSettings.ADM, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zz-odd.png is 32x32")
                .hasMessageContaining("64x64");
    }

    @Test
    void imagesWithoutAnExtractorAreAClearError() throws IOException {
        Path images = dir.resolve("images.npy");
        NpyFile.write(images, EvalGolden.npy("images.npy"));
        assertThatThrownBy(() -> EvalInput.detect(images, "--sample").load(() -> null, EvalSettings.ADM, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--inception");
    }

    @Test
    void shapesExtractorSeparatesRealShapesFromNoise() throws IOException {
        ShapesExtractor shapes = new ShapesExtractor(new ShapesExtractorOptions(50));
        INDArray realA = shapesImages(400, 1);
        INDArray realB = shapesImages(400, 2);
        INDArray noise = Nd4j.rand(DataType.FLOAT, 400, 32, 32, 3).muli(255).castTo(DataType.UBYTE);
        FeatureSet a = Evaluation.features("real A", shapes, ImageSource.of(realA), EvalSettings.ADM.withBatch(64), null);
        FeatureSet b = set(shapes.extract(realB));
        FeatureSet n = set(shapes.extract(noise));
        EvalResult same = Evaluation.evaluate(a, b, EvalSettings.ADM, shapes.fingerprint());
        EvalResult bad = Evaluation.evaluate(a, n, EvalSettings.ADM, shapes.fingerprint());
        assertThat(same.fid()).isLessThan(bad.fid() / 10);
        // ten balanced, well-recognised classes: the score approaches 10
        assertThat(same.inceptionScore()).isGreaterThan(5.0).isLessThanOrEqualTo(10.0);
        assertThat(same.precision()).isGreaterThan(bad.precision());
        // the cleanliness scores: every real shape is clean, no noise image is
        assertThat(same.scores()).containsEntry("clean", 1.0).containsEntry("specks", 0.0);
        assertThat(same.referenceScores()).containsEntry("clean", 1.0);
        assertThat(same.toJson()).containsEntry("clean", 1.0).containsEntry("reference_clean", 1.0);
        assertThat(bad.scores()).containsEntry("clean", 0.0);
        assertThat(bad.scores().get("fill_roughness")).isGreaterThan(0.1);
        assertThat(shapes.extract(realA.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 7))).get("pool_3"))
                .isEqualTo(a.layer("pool_3").orElseThrow().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 7)));
    }

    private static FeatureSet set(Map<String, INDArray> layers) {
        return new FeatureSet("test", layers.get(FeatureExtractor.POOL).size(0), layers, java.util.Optional.empty(),
                java.util.Optional.empty());
    }

    /** uint8 NHWC shapes images, as sampling would write them. */
    private static INDArray shapesImages(int n, long seed) {
        ShapesDataset data = new ShapesDataset(n, 32, seed);
        long[] idx = new long[n];
        Arrays.setAll(idx, i -> i);
        INDArray x = data.load(idx, 0).x(); // (N, 3, H, W) in [-1, 1]
        INDArray u8 = org.nd4j.linalg.ops.transforms.Transforms.round(x.add(1).muli(127.5), false);
        return u8.permute(0, 2, 3, 1).dup('c').castTo(DataType.UBYTE);
    }

    private static void writeNpz(Path file, Map<String, INDArray> members) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, INDArray> e : new LinkedHashMap<>(members).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(NpyFile.encode(e.getValue()));
                zip.closeEntry();
            }
        }
    }
}
