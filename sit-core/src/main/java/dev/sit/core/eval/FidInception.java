package dev.sit.core.eval;

import dev.sit.core.model.QuietStdout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.enums.WeightsFormat;

/**
 * The FID Inception network in SameDiff: the TF 2015 Inception-v3 as pytorch-fid ports it
 * (torchvision's {@code inception_v3} with 1008 classes, no auxiliary head, and the FID blocks:
 * FIDInceptionA and FIDInceptionC and FIDInceptionE_1 average-pool without counting the padding,
 * FIDInceptionE_2 max-pools in its pool branch). The input is a preprocessed batch (N, 299, 299,
 * 3), NHWC, as {@link Preprocessing} makes it; the graph runs NHWC throughout (oneDNN's faster
 * layout on CPU, see VaeGraphBuilder) with every BatchNorm folded into its convolution.
 */
public final class FidInception {

    /** The input side the network is defined at. */
    public static final int SIZE = 299;
    /** Width of {@code pool_3}. */
    public static final int POOL3 = 2048;
    /** Width of the sFID spatial features, 17·17·7. */
    public static final int SPATIAL = 17 * 17 * 7;
    /** Number of classes of the 2015 network (1000 ImageNet classes + 8 unused). */
    public static final int CLASSES = 1008;

    private static final String INPUT = "images";
    private static final String[] OUTPUTS = {"pool_3", "spatial", "logits", "softmax"};

    private final SameDiff sd;
    private final Path source;

    private FidInception(SameDiff sd, Path source) {
        this.sd = sd;
        this.source = source;
    }

    /** Builds the network with the weights of {@code pt_inception-2015-12-05-6726825d.pth}. */
    public static FidInception load(Path weightsFile, String flag) throws IOException {
        InceptionWeights w = InceptionWeights.read(weightsFile, flag);
        return new FidInception(new Builder(w).build(), weightsFile);
    }

    public Path source() {
        return source;
    }

    /** Features of a preprocessed batch (N, 299, 299, 3) float. */
    public synchronized InceptionFeatures features(INDArray images) {
        if (images.rank() != 4 || images.size(1) != SIZE || images.size(2) != SIZE || images.size(3) != 3) {
            throw new IllegalArgumentException("the FID Inception network takes preprocessed images (N, 299, 299, 3),"
                    + " got " + Arrays.toString(images.shape()));
        }
        INDArray in = images.dataType() == DataType.FLOAT && !images.isView() && images.ordering() == 'c'
                ? images : images.castTo(DataType.FLOAT).dup('c');
        Map<String, INDArray> out = QuietStdout.call(() -> sd.output(Map.of(INPUT, in), OUTPUTS));
        return new InceptionFeatures(plain(out.get("pool_3")), plain(out.get("spatial")), plain(out.get("logits")),
                plain(out.get("softmax")));
    }

    private static INDArray plain(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    /** The graph, block by block, named like pytorch-fid's modules. */
    private static final class Builder {
        private final SameDiff sd = SameDiff.create();
        private final InceptionWeights w;

        Builder(InceptionWeights w) {
            this.w = w;
        }

        SameDiff build() {
            SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, SIZE, SIZE, 3);
            // block 0
            x = conv(x, "Conv2d_1a_3x3", 3, 32, 3, 3, 2, 0, 0);
            x = conv(x, "Conv2d_2a_3x3", 32, 32, 3, 3, 1, 0, 0);
            x = conv(x, "Conv2d_2b_3x3", 32, 64, 3, 3, 1, 1, 1);
            x = maxPool(x, 2);
            // block 1
            x = conv(x, "Conv2d_3b_1x1", 64, 80, 1, 1, 1, 0, 0);
            x = conv(x, "Conv2d_4a_3x3", 80, 192, 3, 3, 1, 0, 0);
            x = maxPool(x, 2);
            // block 2
            x = inceptionA(x, "Mixed_5b", 192, 32);
            x = inceptionA(x, "Mixed_5c", 256, 64);
            x = inceptionA(x, "Mixed_5d", 288, 64);
            x = inceptionB(x, "Mixed_6a", 288);
            x = inceptionC(x, "Mixed_6b", 128, null);
            x = inceptionC(x, "Mixed_6c", 160, null);
            SDVariable[] spatial = new SDVariable[1];
            x = inceptionC(x, "Mixed_6d", 160, spatial);
            x = inceptionC(x, "Mixed_6e", 192, null);
            // block 3
            x = inceptionD(x, "Mixed_7a", 768);
            x = inceptionE(x, "Mixed_7b", 1280, false);
            x = inceptionE(x, "Mixed_7c", 2048, true);
            SDVariable pool3 = sd.mean("pool_3", x, 1, 2);
            SDVariable logits = sd.mmul("logits", pool3, sd.constant("fc.weight.T", w.logitWeights()));
            sd.nn.softmax("softmax", logits, 1);
            // mixed_6/conv: Mixed_6d.branch1x1 after ReLU (N, 17, 17, 192) -> first 7 channels, NHWC-flattened
            SDVariable first7 = sd.stridedSlice(spatial[0], new long[] {0, 0, 0, 0}, new long[] {0, 17, 17, 7},
                    new long[] {1, 1, 1, 1}, 1, 1, 0, 0, 0);
            sd.reshape("spatial", first7, -1, SPATIAL);
            return sd;
        }

        private SDVariable inceptionA(SDVariable x, String m, int in, int poolFeatures) {
            SDVariable b1 = conv(x, m + ".branch1x1", in, 64, 1, 1, 1, 0, 0);
            SDVariable b5 = conv(x, m + ".branch5x5_1", in, 48, 1, 1, 1, 0, 0);
            b5 = conv(b5, m + ".branch5x5_2", 48, 64, 5, 5, 1, 2, 2);
            SDVariable b3 = conv(x, m + ".branch3x3dbl_1", in, 64, 1, 1, 1, 0, 0);
            b3 = conv(b3, m + ".branch3x3dbl_2", 64, 96, 3, 3, 1, 1, 1);
            b3 = conv(b3, m + ".branch3x3dbl_3", 96, 96, 3, 3, 1, 1, 1);
            SDVariable bp = conv(avgPoolExcludingPadding(x), m + ".branch_pool", in, poolFeatures, 1, 1, 1, 0, 0);
            return sd.concat(3, b1, b5, b3, bp);
        }

        private SDVariable inceptionB(SDVariable x, String m, int in) {
            SDVariable b3 = conv(x, m + ".branch3x3", in, 384, 3, 3, 2, 0, 0);
            SDVariable bd = conv(x, m + ".branch3x3dbl_1", in, 64, 1, 1, 1, 0, 0);
            bd = conv(bd, m + ".branch3x3dbl_2", 64, 96, 3, 3, 1, 1, 1);
            bd = conv(bd, m + ".branch3x3dbl_3", 96, 96, 3, 3, 2, 0, 0);
            return sd.concat(3, b3, bd, maxPool(x, 2));
        }

        private SDVariable inceptionC(SDVariable x, String m, int c7, SDVariable[] branch1x1Out) {
            int in = 768;
            SDVariable b1 = conv(x, m + ".branch1x1", in, 192, 1, 1, 1, 0, 0);
            if (branch1x1Out != null) {
                branch1x1Out[0] = b1;
            }
            SDVariable b7 = conv(x, m + ".branch7x7_1", in, c7, 1, 1, 1, 0, 0);
            b7 = conv(b7, m + ".branch7x7_2", c7, c7, 1, 7, 1, 0, 3);
            b7 = conv(b7, m + ".branch7x7_3", c7, 192, 7, 1, 1, 3, 0);
            SDVariable bd = conv(x, m + ".branch7x7dbl_1", in, c7, 1, 1, 1, 0, 0);
            bd = conv(bd, m + ".branch7x7dbl_2", c7, c7, 7, 1, 1, 3, 0);
            bd = conv(bd, m + ".branch7x7dbl_3", c7, c7, 1, 7, 1, 0, 3);
            bd = conv(bd, m + ".branch7x7dbl_4", c7, c7, 7, 1, 1, 3, 0);
            bd = conv(bd, m + ".branch7x7dbl_5", c7, 192, 1, 7, 1, 0, 3);
            SDVariable bp = conv(avgPoolExcludingPadding(x), m + ".branch_pool", in, 192, 1, 1, 1, 0, 0);
            return sd.concat(3, b1, b7, bd, bp);
        }

        private SDVariable inceptionD(SDVariable x, String m, int in) {
            SDVariable b3 = conv(x, m + ".branch3x3_1", in, 192, 1, 1, 1, 0, 0);
            b3 = conv(b3, m + ".branch3x3_2", 192, 320, 3, 3, 2, 0, 0);
            SDVariable b7 = conv(x, m + ".branch7x7x3_1", in, 192, 1, 1, 1, 0, 0);
            b7 = conv(b7, m + ".branch7x7x3_2", 192, 192, 1, 7, 1, 0, 3);
            b7 = conv(b7, m + ".branch7x7x3_3", 192, 192, 7, 1, 1, 3, 0);
            b7 = conv(b7, m + ".branch7x7x3_4", 192, 192, 3, 3, 2, 0, 0);
            return sd.concat(3, b3, b7, maxPool(x, 2));
        }

        /** FIDInceptionE_1 ({@code maxPoolBranch} false) and FIDInceptionE_2 (true). */
        private SDVariable inceptionE(SDVariable x, String m, int in, boolean maxPoolBranch) {
            SDVariable b1 = conv(x, m + ".branch1x1", in, 320, 1, 1, 1, 0, 0);
            SDVariable b3 = conv(x, m + ".branch3x3_1", in, 384, 1, 1, 1, 0, 0);
            b3 = sd.concat(3, conv(b3, m + ".branch3x3_2a", 384, 384, 1, 3, 1, 0, 1),
                    conv(b3, m + ".branch3x3_2b", 384, 384, 3, 1, 1, 1, 0));
            SDVariable bd = conv(x, m + ".branch3x3dbl_1", in, 448, 1, 1, 1, 0, 0);
            bd = conv(bd, m + ".branch3x3dbl_2", 448, 384, 3, 3, 1, 1, 1);
            bd = sd.concat(3, conv(bd, m + ".branch3x3dbl_3a", 384, 384, 1, 3, 1, 0, 1),
                    conv(bd, m + ".branch3x3dbl_3b", 384, 384, 3, 1, 1, 1, 0));
            SDVariable pooled = maxPoolBranch ? maxPoolSame(x) : avgPoolExcludingPadding(x);
            SDVariable bp = conv(pooled, m + ".branch_pool", in, 192, 1, 1, 1, 0, 0);
            return sd.concat(3, b1, b3, bd, bp);
        }

        /** BasicConv2d: convolution (no bias) + BatchNorm (folded) + ReLU. */
        private SDVariable conv(SDVariable x, String module, int in, int out, int kh, int kw, int stride, int ph,
                int pw) {
            Conv2DConfig cfg = Conv2DConfig.builder().kH(kh).kW(kw).sH(stride).sW(stride).pH(ph).pW(pw).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat("NHWC").weightsFormat(WeightsFormat.OIYX).build();
            SDVariable kernel = sd.constant(module + ".kernel", w.kernel(module, out, in, kh, kw));
            SDVariable bias = sd.constant(module + ".bias", w.bias(module));
            return sd.nn.relu(module + ".out", sd.cnn.conv2d(x, kernel, bias, cfg), 0);
        }

        /** max_pool2d(kernel 3, stride s), no padding. */
        private SDVariable maxPool(SDVariable x, int stride) {
            return sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(stride).sW(stride).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).isNHWC(true).build());
        }

        /** max_pool2d(3, stride 1, padding 1): padding never wins a maximum. */
        private SDVariable maxPoolSame(SDVariable x) {
            return sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(1).sW(1).dH(1).dW(1)
                    .paddingMode(PaddingMode.SAME).isNHWC(true).build());
        }

        /** avg_pool2d(3, stride 1, padding 1, count_include_pad=False): border averages divide by the real count. */
        private SDVariable avgPoolExcludingPadding(SDVariable x) {
            return sd.cnn.avgPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(1).sW(1).dH(1).dW(1)
                    .paddingMode(PaddingMode.SAME).divisor(Pooling2D.Divisor.EXCLUDE_PADDING).isNHWC(true).build());
        }
    }
}
