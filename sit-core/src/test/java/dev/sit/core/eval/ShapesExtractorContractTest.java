package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.api.testkit.FeatureExtractorContract;
import dev.sit.core.data.ShapesDataset;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The {@code shapes} extractor passes the feature-extractor contract on real shapes images. */
class ShapesExtractorContractTest extends FeatureExtractorContract {

    @Override
    protected FeatureExtractor newExtractor() {
        return new ShapesExtractor(new ShapesExtractorOptions(20));
    }

    @Override
    protected INDArray images() {
        ShapesDataset data = new ShapesDataset(12, 32, 7);
        long[] idx = new long[12];
        Arrays.setAll(idx, i -> i);
        INDArray x = data.load(idx, 0).x();
        return Transforms.round(x.add(1).muli(127.5), false).permute(0, 2, 3, 1).dup('c').castTo(DataType.UBYTE);
    }
}
