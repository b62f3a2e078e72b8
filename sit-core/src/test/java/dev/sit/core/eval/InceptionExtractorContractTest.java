package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.api.testkit.FeatureExtractorContract;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The {@code inception} extractor (golden random-weight network) passes the feature-extractor contract. */
class InceptionExtractorContractTest extends FeatureExtractorContract {

    @Override
    protected FeatureExtractor newExtractor() throws Exception {
        return new InceptionExtractor(FidInception.load(EvalGolden.path("inception.pth"), "--inception"),
                Preprocessing.PYTORCH_FID, 8);
    }

    @Override
    protected INDArray images() {
        return EvalGolden.npy("images.npy").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4));
    }

    @Override
    protected double batchTolerance() {
        return 1e-3;   // float32 through ~95 convolutions, different batch kernels
    }
}
