package dev.sit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.cli.SitCommand;
import dev.sit.core.eval.FeatureFile;
import dev.sit.core.io.NpyFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code sit eval features --spark local[2]} writes the feature file of the single-process command, byte for byte,
 * with the {@code shapes} extractor and with the random-weight FID-Inception of the eval-metrics golden case (whose
 * features it also reproduces), the golden images cut into several partitions of whole batches.
 */
class SparkFeatureExtractionTest {

    @TempDir
    static Path work;
    private static Path inception;
    private static Path six;
    private static Path eighteen;

    @BeforeAll
    static void setUp() throws Exception {
        inception = resource("inception.pth");
        six = resource("images.npy");
        INDArray images = NpyFile.read(six);
        eighteen = work.resolve("eighteen.npy");
        NpyFile.write(eighteen, Nd4j.concat(0, images, images, images).castTo(DataType.UBYTE));
    }

    @Test
    void theShapesExtractorOnSparkWritesTheSingleProcessFile() throws Exception {
        // 18 images in batches of 4: five partitions, the last one short
        byte[] local = features("shapes-local", null, "--extractor", "shapes", "--images", eighteen.toString(),
                "--batch", "4");
        byte[] spark = features("shapes-spark", "local[2]", "--extractor", "shapes", "--images", eighteen.toString(),
                "--batch", "4");
        assertThat(spark).isEqualTo(local);
        Map<String, INDArray> f = FeatureFile.read(work.resolve("shapes-spark.npz"));
        assertThat(f.get("pool_3").size(0)).isEqualTo(18);
        // the set three times over: row 6 (first of the second partition's second batch) is row 0
        assertThat(f.get("pool_3").getRow(6)).isEqualTo(f.get("pool_3").getRow(0));
    }

    @Test
    void inceptionOnSparkWritesTheSingleProcessFileAndTheGoldenFeatures() throws Exception {
        byte[] local = features("inception-local", null, "--inception", inception.toString(), "--images", six.toString(),
                "--batch", "2");
        byte[] spark = features("inception-spark", "local[2]", "--inception", inception.toString(), "--images",
                six.toString(), "--batch", "2");
        assertThat(spark).isEqualTo(local);
        INDArray pool3 = FeatureFile.read(work.resolve("inception-spark.npz")).get("pool_3");
        INDArray golden = NpyFile.read(resource("pool3_adm.npy")).castTo(DataType.FLOAT);
        assertThat(pool3.sub(golden).amaxNumber().doubleValue()).isLessThan(1e-3 + 1e-3 * golden.amaxNumber().doubleValue());
    }

    private static byte[] features(String name, String spark, String... flags) throws Exception {
        Path out = work.resolve(name + ".npz");
        List<String> args = new ArrayList<>(List.of("eval", "features", "--out", out.toString()));
        args.addAll(List.of(flags));
        if (spark != null) {
            args.addAll(List.of("--spark", spark));
        }
        assertThat(SitCommand.execute(args.toArray(new String[0]))).as(String.join(" ", args)).isZero();
        return Files.readAllBytes(out);
    }

    /** A file of sit-core's eval-metrics golden case (its test jar), copied out. */
    private static Path resource(String name) throws Exception {
        Path file = work.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = SparkFeatureExtractionTest.class.getResourceAsStream("/golden/eval-metrics/" + name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
