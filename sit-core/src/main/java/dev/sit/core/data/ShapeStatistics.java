package dev.sit.core.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Colour and shape statistics of the foreground of images, invariant to position, rotation
 * and scale. With u = (x + 1) / 2 in [0, 1], the foreground mask is {@code max_c u >= 0.4}
 * (the background of {@code shapes} is at most 35/255). Per image, with A the foreground
 * area, (cx, cy) its centroid and m_xx, m_yy, m_xy its central second moments:
 * <ol>
 * <li>3 columns: mean colour (R, G, B) of the foreground;</li>
 * <li>compactness {@code A / (2 pi (m_xx + m_yy))} (1 for a disc, lower for rings, bars, stars);</li>
 * <li>elongation {@code lambda_min / lambda_max} of the second-moment matrix (bars are low);</li>
 * <li>centre fill: the foreground fraction of the disc of radius {@code 0.5 sqrt(m_xx + m_yy)}
 * around the centroid (0 for rings and frames).</li>
 * </ol>
 * Images without foreground get NaN features.
 */
public final class ShapeStatistics {

    /** Number of features per image. */
    public static final int FEATURES = 6;

    static final double FOREGROUND_THRESHOLD = 0.4;

    private ShapeStatistics() {
    }

    /** Features (N, 6) of images (N, 3, H, W) in [-1, 1]. */
    public static INDArray of(INDArray images) {
        long[] s = images.shape();
        if (images.rank() != 4 || s[1] != 3) {
            throw new IllegalArgumentException("shape statistics need RGB images (N, 3, H, W), got " + Arrays.toString(s));
        }
        long n = s[0];
        long h = s[2];
        long w = s[3];
        long hw = h * w;
        INDArray u = images.castTo(DataType.DOUBLE).add(1.0).divi(2.0).reshape('c', n, 3, hw);
        INDArray mask = u.max(1).gte(FOREGROUND_THRESHOLD).castTo(DataType.DOUBLE); // (N, HW)
        INDArray area = mask.sum(true, 1); // (N, 1)
        INDArray safeArea = Transforms.max(area, 1.0, true);

        INDArray[] colour = new INDArray[3];
        for (int c = 0; c < 3; c++) {
            INDArray channel = u.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all());
            colour[c] = channel.mul(mask).sum(true, 1).divi(safeArea);
        }

        // pixel coordinates, one row per image
        INDArray xs = Nd4j.arange(w).castTo(DataType.DOUBLE).reshape(1, w).repeat(0, h).reshape(1, hw);
        INDArray ys = Nd4j.arange(h).castTo(DataType.DOUBLE).reshape(h, 1).repeat(1, w).reshape(1, hw);
        INDArray x = xs.repeat(0, n);
        INDArray y = ys.repeat(0, n);
        INDArray cx = x.mul(mask).sum(true, 1).divi(safeArea);
        INDArray cy = y.mul(mask).sum(true, 1).divi(safeArea);
        INDArray dx = x.subColumnVector(cx);
        INDArray dy = y.subColumnVector(cy);
        INDArray mxx = dx.mul(dx).muli(mask).sum(true, 1).divi(safeArea);
        INDArray myy = dy.mul(dy).muli(mask).sum(true, 1).divi(safeArea);
        INDArray mxy = dx.mul(dy).muli(mask).sum(true, 1).divi(safeArea);
        INDArray trace = mxx.add(myy);
        INDArray diff = mxx.sub(myy);
        INDArray root = Transforms.sqrt(diff.mul(diff).addi(mxy.mul(mxy).muli(4.0)), true);
        INDArray lambdaMax = trace.add(root).divi(2.0);
        INDArray lambdaMin = trace.sub(root).divi(2.0);
        INDArray compactness = area.div(trace.mul(2 * Math.PI));
        INDArray elongation = lambdaMin.div(lambdaMax);

        INDArray d2 = dx.mul(dx).addi(dy.mul(dy));
        INDArray rho2 = trace.mul(0.25);
        INDArray inner = d2.divColumnVector(rho2).lt(1.0).castTo(DataType.DOUBLE);
        INDArray innerCount = Transforms.max(inner.sum(true, 1), 1.0, true);
        INDArray centreFill = inner.mul(mask).sum(true, 1).divi(innerCount);

        // an image without foreground has 0/0 = NaN compactness and elongation
        return Nd4j.hstack(colour[0], colour[1], colour[2], compactness, elongation, centreFill);
    }
}
