package dev.sit.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The FID Inception network and both preprocessing modes against pytorch-fid / ADM outputs. */
class FidInceptionGoldenTest {

    private static FidInception net;
    private static INDArray images;

    @BeforeAll
    static void load() throws IOException {
        net = FidInception.load(EvalGolden.path("inception.pth"), "--inception");
        images = EvalGolden.npy("images.npy");
    }

    @Test
    void tfLegacyResizeMatchesTensorflow() {
        INDArray resized = BilinearResize.TF_LEGACY.apply(images.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                299, 299);
        INDArray grid = resized.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 23, 299),
                NDArrayIndex.interval(0, 23, 299), NDArrayIndex.all());
        EvalGolden.assertMatches(grid, "resized_adm.npy");
    }

    @Test
    void admPreprocessingGivesAdmFeatures() {
        InceptionFeatures f = net.features(Preprocessing.ADM.apply(images));
        EvalGolden.assertMatches(f.pool3(), "pool3_adm.npy");
        EvalGolden.assertMatches(f.spatial(), "spatial_adm.npy");
        EvalGolden.assertMatches(f.softmax(), "softmax_adm.npy");
    }

    @Test
    void pytorchFidPreprocessingGivesPytorchFidFeatures() {
        InceptionFeatures f = net.features(Preprocessing.PYTORCH_FID.apply(images));
        EvalGolden.assertMatches(f.pool3(), "pool3_pytorch_fid.npy");
        EvalGolden.assertMatches(f.spatial(), "spatial_pytorch_fid.npy");
        EvalGolden.assertMatches(f.logits(), "logits_pytorch_fid.npy");
        for (double rowSum : f.softmax().sum(1).toDoubleVector()) {
            assertThat(rowSum).isBetween(0.9999, 1.0001);
        }
    }

    @Test
    void aBatchGivesWhatItsImagesGiveAlone() {
        INDArray batch = Preprocessing.ADM.apply(images);
        INDArray alone = net.features(batch.get(NDArrayIndex.interval(4, 5), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).dup()).pool3();
        EvalGolden.assertClose(alone, EvalGolden.npy("pool3_adm.npy").get(NDArrayIndex.interval(4, 5),
                NDArrayIndex.all()), 1e-3, 1e-3, "image 4 alone");
    }

    @Test
    void missingWeightsSayWhereToDownloadThem(@TempDir Path dir) {
        assertThatThrownBy(() -> FidInception.load(dir.resolve("pt_inception.pth"), "--inception"))
                .isInstanceOf(InceptionWeightsNotFoundException.class)
                .hasMessageContaining("pt_inception.pth: no such file")
                .hasMessageContaining(InceptionWeightsNotFoundException.DOWNLOAD_URL)
                .hasMessageContaining("--inception FILE.pth");
    }
}
