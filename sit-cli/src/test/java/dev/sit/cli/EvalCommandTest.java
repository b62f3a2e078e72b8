package dev.sit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sit.core.eval.FeatureFile;
import dev.sit.core.eval.FeatureStatistics;
import dev.sit.core.eval.InceptionWeightsNotFoundException;
import dev.sit.core.io.NpyFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code sit eval features|metrics} on the eval-metrics golden case (fixtures from sit-core's test resources). */
class EvalCommandTest {

    private static final double FID = 619.6722423192496;
    private static final double IS = 25.335041046142578;
    private static final double PRECISION = 0.08;
    private static final double RECALL = 0.9291666666666667;

    @TempDir
    static Path dir;

    static Path golden(String file) throws IOException {
        Path target = dir.resolve(file);
        if (!Files.exists(target)) {
            try (InputStream in = EvalCommandTest.class.getResourceAsStream("/golden/eval-metrics/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing test fixture golden/eval-metrics/" + file
                            + " (sit-core's test resources)");
                }
                Files.copy(in, target);
            }
        }
        return target;
    }

    static INDArray npy(String file) throws IOException {
        return NpyFile.read(golden(file));
    }

    @BeforeAll
    static void featureFiles() throws IOException {
        FeatureFile.write(dir.resolve("ref.npz"), Map.of("pool_3", npy("feat_ref.npy")));
        FeatureFile.write(dir.resolve("sample.npz"), Map.of("pool_3", npy("feat_sample.npy"),
                "softmax", npy("softmax_sample.npy")));
    }

    @Test
    void featuresReproduceTheGoldenFeaturesInBothModes() throws IOException {
        for (String mode : new String[] {"adm", "pytorch-fid"}) {
            Path out = dir.resolve("features-" + mode + ".npz");
            CommandLineRun run = CommandLineRun.of("eval", "features", "--inception", golden("inception.pth").toString(),
                    "--images", golden("images.npy").toString(), "--preprocess", mode, "--batch", "4",
                    "--out", out.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("pool_3 [6, 2048]").contains("images/s");
            Map<String, INDArray> f = FeatureFile.read(out);
            assertThat(f).containsKeys("pool_3", "spatial", "logits", "softmax");
            String suffix = mode.equals("adm") ? "_adm.npy" : "_pytorch_fid.npy";
            assertClose(f.get("pool_3"), npy("pool3" + suffix), 1e-3, 1e-3);
            assertClose(f.get("spatial"), npy("spatial" + suffix), 1e-3, 1e-3);
            if (mode.equals("adm")) {
                assertClose(f.get("softmax"), npy("softmax_adm.npy"), 1e-3, 1e-6);
            } else {
                assertClose(f.get("logits"), npy("logits_pytorch_fid.npy"), 1e-3, 1e-3);
            }
        }
    }

    @Test
    void metricsFromFeatureFilesAsJson() throws IOException {
        CommandLineRun run = CommandLineRun.of("eval", "metrics", "--ref", dir.resolve("ref.npz").toString(),
                "--sample", dir.resolve("sample.npz").toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out());
        assertThat(j.get("fid").asDouble()).isCloseTo(FID, within(1e-4 * FID));
        assertThat(j.get("inception_score").asDouble()).isCloseTo(IS, within(1e-5 * IS));
        assertThat(j.get("precision").asDouble()).isCloseTo(PRECISION, within(0.0101));
        assertThat(j.get("recall").asDouble()).isCloseTo(RECALL, within(0.0101));
        assertThat(j.get("sfid").isNull()).isTrue();
    }

    @Test
    void metricsInTextSayWhatIsMissing() {
        CommandLineRun run = CommandLineRun.of("eval", "metrics", "--ref", dir.resolve("ref.npz").toString(),
                "--sample", dir.resolve("sample.npz").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("FID:").contains("619.67").contains("sFID:            n/a");
    }

    @Test
    void anAdmReferenceBatchIsUsedWithItsStoredStatistics() throws IOException {
        FeatureStatistics s = FeatureStatistics.of(npy("feat_ref.npy"));
        Path batch = dir.resolve("VIRTUAL_ref.npz");
        try (OutputStream os = Files.newOutputStream(batch); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, INDArray> e : Map.of("mu", s.mu(), "sigma", s.sigma()).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(NpyFile.encode(e.getValue()));
                zip.closeEntry();
            }
        }
        CommandLineRun run = CommandLineRun.of("eval", "metrics", "--ref", batch.toString(),
                "--sample", dir.resolve("sample.npz").toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out());
        assertThat(j.get("fid").asDouble()).isCloseTo(FID, within(1e-4 * FID));
        assertThat(j.get("precision").isNull()).isTrue();
    }

    @Test
    void imagesWithoutWeightsSayWhereToDownloadThem() throws IOException {
        CommandLineRun run = CommandLineRun.of("eval", "metrics", "--ref", dir.resolve("ref.npz").toString(),
                "--sample", golden("images.npy").toString());
        // missing weights and files the user named are their input: exit 2 (the error contract)
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(InceptionWeightsNotFoundException.DOWNLOAD_URL).contains("--inception")
                .doesNotContain("Exception");
        CommandLineRun missing = CommandLineRun.of("eval", "features", "--inception", dir.resolve("nope.pth").toString(),
                "--images", golden("images.npy").toString(), "--out", dir.resolve("x.npz").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.pth: no such file").contains("pt_inception-2015-12-05-6726825d.pth");
    }

    @Test
    void mismatchedFeatureSizesAreAClearError() throws IOException {
        Path small = dir.resolve("small.npz");
        FeatureFile.write(small, Map.of("pool_3", npy("feat_sample.npy").getColumns(0, 1, 2, 3, 4, 5)));
        CommandLineRun run = CommandLineRun.of("eval", "metrics", "--ref", dir.resolve("ref.npz").toString(),
                "--sample", small.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("different sizes").contains("6 vs 2048");
    }

    @Test
    void theShapesExtractorNeedsNoDownloadAndIsListedByPlugins() throws IOException {
        // the golden images twice over: the same set, so FID ~ 0 and precision = recall = 1
        INDArray images = npy("images.npy");
        Path set = dir.resolve("six.npy");
        NpyFile.write(set, org.nd4j.linalg.factory.Nd4j.concat(0, images, images, images).castTo(
                org.nd4j.linalg.api.buffer.DataType.UBYTE));
        CommandLineRun run = CommandLineRun.of("eval", "metrics", "--extractor", "shapes", "--ref", set.toString(),
                "--sample", set.toString(), "--json", "--no-cache");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out());
        assertThat(j.get("fid").asDouble()).isCloseTo(0.0, within(1e-6));
        assertThat(j.get("precision").asDouble()).isEqualTo(1.0);
        assertThat(j.get("inception_score").asDouble()).isBetween(1.0, 10.0);
        assertThat(j.get("sfid").isNull()).isTrue();
        CommandLineRun plugins = CommandLineRun.of("plugins");
        assertThat(plugins.out()).contains("feature-extractor").contains("inception").contains("shapes");
    }

    @Test
    void badFlagsAreUsageErrors() {
        CommandLineRun run = CommandLineRun.of("eval", "metrics", "--ref", "a.npz", "--sample", "b.npz",
                "--preprocess", "tf");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--preprocess tf is not one of adm, pytorch-fid");
    }

    @Test
    void helpOnEachCommand() {
        for (String sub : new String[] {"features", "metrics"}) {
            CommandLineRun run = CommandLineRun.of("eval", sub, "--help");
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("--inception").contains("--preprocess").contains("--batch");
        }
        assertThat(CommandLineRun.of("eval", "metrics", "--help").out()).contains("--json").contains("--ref");
        assertThat(CommandLineRun.of("eval", "--help").out()).contains("features").contains("metrics");
    }

    private static void assertClose(INDArray a, INDArray e, double rtol, double atol) {
        INDArray diff = Transforms.abs(a.castTo(e.dataType()).sub(e));
        double worst = diff.sub(Transforms.abs(e).muli(rtol).addi(atol)).maxNumber().doubleValue();
        assertThat(worst).as("max |a-e| = " + diff.maxNumber()).isLessThanOrEqualTo(0.0);
    }
}
