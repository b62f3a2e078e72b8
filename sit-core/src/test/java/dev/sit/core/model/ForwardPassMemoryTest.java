package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A forward pass holds the activations of about one block at a time, however deep the model: the peak
 * of live op outputs does not grow with the depth. With SameDiff's array cache off (as
 * {@code SIT_LOW_MEMORY=1}), an output is closed once its last consumer has run. When the adaLN
 * modulations were broadcast by adding a constant, SameDiff ran every block's broadcasts at the start
 * of the pass and the peak grew by four token arrays per block.
 */
class ForwardPassMemoryTest {

    @Test
    void thePeakOfLiveArraysInAForwardPassDoesNotGrowWithDepth() {
        String before = System.getProperty(ComputeSettings.ARRAY_CACHE_PROPERTY);
        System.setProperty(ComputeSettings.ARRAY_CACHE_PROPERTY, "false");
        try {
            long shallow = peakLiveBytes(2);
            long deep = peakLiveBytes(8);
            // measured with the early broadcasts: 1.51 MB at 2 blocks, 3.10 MB at 8 (24 more token arrays
            // of 4 x 64 x 64 floats); with the broadcasts in their blocks the test passes
            assertThat(deep).as("peak live bytes, 8 blocks vs 2 (%d)", shallow).isLessThan(shallow + 4 * TOKEN_BYTES);
        } finally {
            if (before == null) {
                System.clearProperty(ComputeSettings.ARRAY_CACHE_PROPERTY);
            } else {
                System.setProperty(ComputeSettings.ARRAY_CACHE_PROPERTY, before);
            }
        }
    }

    private static final int BATCH = 4;
    private static final int TOKENS = 64;
    private static final int WIDTH = 64;
    private static final long TOKEN_BYTES = 4L * BATCH * TOKENS * WIDTH;

    /** The largest total size of op outputs alive at once during the second of two forward passes. */
    private static long peakLiveBytes(int depth) {
        // 16x16 inputs in 2x2 patches: 64 tokens of width 64
        SitModel model = SitModel.initialised(new SitConfig(WIDTH, depth, 4, 2, 16, 4, 10, false, 4.0, 0.1), 0);
        List<INDArray> outputs = new ArrayList<>();
        long[] peak = {0};
        model.sameDiff().addListeners(new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
                                    INDArray[] out) {
                outputs.addAll(List.of(out));
                long live = outputs.stream().filter(a -> !a.wasClosed()).mapToLong(a -> a.length() * 4).sum();
                peak[0] = Math.max(peak[0], live);
            }
        });
        INDArray x = Nd4j.randn(DataType.FLOAT, BATCH, 4, 16, 16);
        INDArray t = Nd4j.createFromArray(0.1f, 0.4f, 0.6f, 0.9f);
        INDArray y = Nd4j.createFromArray(1, 2, 3, 4);
        model.forward(x, t, y);
        outputs.clear();
        peak[0] = 0;
        model.forward(x, t, y);
        return peak[0];
    }
}
