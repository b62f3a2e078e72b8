package dev.sit.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.image.PngWriter;
import dev.sit.core.io.NpyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A cluster task's rows ({@link FeatureExtraction#runRange}: skip to the partition, read its images) are the rows
 * {@link FeatureExtraction#run} gives those images, for an image array file and for a folder of PNGs; the feature file
 * of the same features is the same bytes whenever it is written.
 */
class FeatureExtractionRangeTest {

    @TempDir
    Path dir;

    /** Features that tell images apart: each image's per-channel pixel means and its first pixel. */
    private static final class PixelStatistics implements FeatureExtractor {
        @Override
        public List<String> layers() {
            return List.of("pool_3");
        }

        @Override
        public Map<String, INDArray> extract(INDArray images) {
            INDArray x = images.castTo(DataType.FLOAT);
            INDArray means = x.mean(1, 2);
            INDArray first = x.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all());
            return Map.of("pool_3", Nd4j.hstack(means, first));
        }

        @Override
        public String fingerprint() {
            return "pixel-statistics";
        }
    }

    @Test
    void aPartitionsRowsAreTheWholeRunsRowsForFilesAndFolders() throws Exception {
        INDArray images = Nd4j.rand(DataType.FLOAT, 11, 3, 6, 6).muli(2).subi(1);
        Path folder = dir.resolve("pngs");
        PngWriter.writeSamples(images, folder, 0);
        Path npy = dir.resolve("images.npy");
        INDArray nhwc;
        try (ImageSource all = ImageSource.open(folder)) {
            nhwc = all.next(11);
        }
        NpyFile.write(npy, nhwc);
        for (Path source : List.of(npy, folder)) {
            INDArray whole;
            try (ImageSource s = ImageSource.open(source)) {
                whole = FeatureExtraction.run(new PixelStatistics(), s, 3, null).get("pool_3");
            }
            assertThat(whole.size(0)).isEqualTo(11);
            for (long[] range : new long[][] {{0, 3}, {3, 9}, {9, 11}}) {
                INDArray part = FeatureExtraction.runRange(new PixelStatistics(), ImageSource.open(source), range[0],
                        range[1], 3).get("pool_3");
                assertThat(part).as("%s %d..%d", source.getFileName(), range[0], range[1])
                        .isEqualTo(whole.get(NDArrayIndex.interval(range[0], range[1]), NDArrayIndex.all()));
            }
        }
        assertThatThrownBy(() -> FeatureExtraction.runRange(new PixelStatistics(), ImageSource.open(npy), 9, 12, 3))
                .hasMessageContaining("[9, 12) are not a range of the 11 images");

        // the same features, written twice a few seconds apart: the same bytes
        Map<String, INDArray> f = Map.of("pool_3", Nd4j.rand(DataType.FLOAT, 4, 5));
        FeatureFile.write(dir.resolve("a.npz"), f);
        Thread.sleep(2100); // past the zip time stamps' 2-second resolution
        FeatureFile.write(dir.resolve("b.npz"), f);
        assertThat(Files.readAllBytes(dir.resolve("b.npz"))).isEqualTo(Files.readAllBytes(dir.resolve("a.npz")));
    }
}
