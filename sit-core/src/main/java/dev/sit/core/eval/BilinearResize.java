package dev.sit.core.eval;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilinear resizing of NHWC batches as two matrix products, {@code out = R_h · x · R_w^T} per
 * image and channel, where row i of R (out x in) holds the two interpolation weights of output
 * pixel i. The source coordinate of output index i, with {@code scale = in / out}, is
 *
 * <pre>
 *   TF_LEGACY     src = i · scale                      (tf.compat.v1.image.resize_bilinear,
 *                                                       align_corners=False, half_pixel_centers=False)
 *   HALF_PIXEL    src = max((i + 0.5) · scale - 0.5, 0) (torch F.interpolate bilinear, align_corners=False)
 * </pre>
 *
 * then {@code lo = floor(src)}, {@code hi = min(lo + 1, in - 1)}, weights {@code 1 - (src - lo)}
 * and {@code src - lo}. Neither mode antialiases when shrinking, like the originals.
 */
public enum BilinearResize {
    TF_LEGACY,
    HALF_PIXEL;

    /** The interpolation matrix (out, in), float32. */
    public INDArray matrix(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("resize needs positive sizes, got " + in + " -> " + out);
        }
        float[] r = new float[out * in];
        // float32 coordinates, as both originals compute them
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            float src = this == TF_LEGACY ? i * scale : Math.max((i + 0.5f) * scale - 0.5f, 0f);
            int lo = Math.min((int) Math.floor(src), in - 1);
            int hi = Math.min(lo + 1, in - 1);
            float frac = src - lo;
            r[i * in + lo] += 1f - frac;
            r[i * in + hi] += frac;
        }
        return Nd4j.create(r, new long[] {out, in}, DataType.FLOAT);
    }

    /** Resizes float images (N, H, W, C) to (N, outH, outW, C). */
    public INDArray apply(INDArray nhwc, int outH, int outW) {
        if (nhwc.rank() != 4) {
            throw new IllegalArgumentException("resize takes images (N, H, W, C), got " + Arrays.toString(nhwc.shape()));
        }
        long n = nhwc.size(0);
        int h = (int) nhwc.size(1);
        int w = (int) nhwc.size(2);
        long c = nhwc.size(3);
        INDArray x = nhwc.castTo(DataType.FLOAT);
        // rows: (H, N*W*C) -> R_h (outH, H) x that
        INDArray rows = x.permute(1, 0, 2, 3).dup('c').reshape(h, n * w * c);
        INDArray y = matrix(h, outH).mmul(rows).reshape(outH, n, w, c);
        // columns: (W, N*outH*C) -> R_w (outW, W) x that
        INDArray cols = y.permute(2, 1, 0, 3).dup('c').reshape(w, n * outH * c);
        INDArray z = matrix(w, outW).mmul(cols).reshape(outW, n, outH, c);
        return z.permute(1, 2, 0, 3).dup('c');
    }
}
