package dev.sit.core.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How much an image looks like a {@code shapes} image: one flat-coloured shape with clean edges
 * on a flat background, no speckle. With u = (x + 1) / 2 in [0, 1] and the foreground mask
 * {@code max_c u >= 0.4} of {@link ShapeStatistics}, per image:
 * <ol>
 * <li>fill roughness: the mean absolute deviation of the interior foreground pixels (foreground
 * with all 4 neighbours foreground, so anti-aliased edges do not count) from their mean colour,
 * averaged over R, G, B; 1 when there is no interior;</li>
 * <li>background roughness: the standard deviation of the interior background pixels, averaged
 * over R, G, B; 1 when there is no interior background;</li>
 * <li>specks: the number of 8-connected foreground components beyond the first (0 for one shape;
 * -1 for an empty image);</li>
 * <li>clean: 1 when the fill and background roughness are at most {@link #FLAT} (8/255) and there
 * is exactly one component, else 0.</li>
 * </ol>
 * Every rendered {@code shapes} image is clean (one component, roughness below 0.022 over the 10
 * classes); the speckled, textured blobs of an undertrained model are not (fill roughness ~0.1).
 */
public final class ShapeCleanliness {

    /** Columns of {@link #of}. */
    public static final int FILL = 0;
    public static final int BACKGROUND = 1;
    public static final int SPECKS = 2;
    public static final int CLEAN = 3;
    public static final int COLUMNS = 4;

    /**
     * Largest roughness that still looks flat: 8 levels of 255. Rendered shapes stay below 0.01
     * except thin bars, whose few interior pixels are themselves anti-aliased (up to 0.022).
     */
    public static final double FLAT = 8.0 / 255.0;

    private ShapeCleanliness() {
    }

    /** The 4 columns above for images (N, 3, H, W) in [-1, 1], as (N, 4) doubles. */
    public static INDArray of(INDArray images) {
        long[] s = images.shape();
        if (images.rank() != 4 || s[1] != 3) {
            throw new IllegalArgumentException("shape cleanliness needs RGB images (N, 3, H, W), got " + Arrays.toString(s));
        }
        long n = s[0];
        INDArray u = images.castTo(DataType.DOUBLE).add(1.0).divi(2.0);
        INDArray mask = u.max(1).gte(ShapeStatistics.FOREGROUND_THRESHOLD).castTo(DataType.DOUBLE); // (N, H, W)
        INDArray background = mask.rsub(1.0);
        INDArray interior = mask.dup();
        INDArray backgroundInterior = background.dup();
        for (int[] d : NEIGHBOURS_4) {
            interior.muli(shift(mask, d[0], d[1]));
            backgroundInterior.muli(shift(background, d[0], d[1]));
        }
        INDArray fill = meanAbsoluteDeviation(u, interior);
        INDArray back = standardDeviation(u, backgroundInterior);
        INDArray components = components(mask);
        INDArray specks = components.sub(1.0);
        INDArray clean = fill.lte(FLAT).castTo(DataType.DOUBLE)
                .muli(back.lte(FLAT).castTo(DataType.DOUBLE))
                .muli(components.eq(1.0).castTo(DataType.DOUBLE));
        return Nd4j.hstack(fill.reshape(n, 1), back.reshape(n, 1), specks.reshape(n, 1), clean.reshape(n, 1));
    }

    private static final int[][] NEIGHBOURS_4 = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    private static final int[][] NEIGHBOURS_8 = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}};

    /** Per image, mean over masked pixels and channels of |u - mean colour|; 1 where the mask is empty. */
    private static INDArray meanAbsoluteDeviation(INDArray u, INDArray mask) {
        INDArray count = mask.sum(1, 2); // (N)
        INDArray safe = Transforms.max(count, 1.0, true);
        INDArray total = Nd4j.zeros(DataType.DOUBLE, u.size(0));
        for (int c = 0; c < 3; c++) {
            INDArray channel = channel(u, c);
            INDArray mean = channel.mul(mask).sum(1, 2).divi(safe);
            INDArray deviation = Transforms.abs(channel.sub(mean.reshape(u.size(0), 1, 1)), false).muli(mask);
            total.addi(deviation.sum(1, 2).divi(safe));
        }
        return emptyAsOne(total.divi(3.0), count);
    }

    /** Per image, the standard deviation over masked pixels, averaged over channels; 1 where the mask is empty. */
    private static INDArray standardDeviation(INDArray u, INDArray mask) {
        INDArray count = mask.sum(1, 2);
        INDArray safe = Transforms.max(count, 1.0, true);
        INDArray total = Nd4j.zeros(DataType.DOUBLE, u.size(0));
        for (int c = 0; c < 3; c++) {
            INDArray channel = channel(u, c);
            INDArray mean = channel.mul(mask).sum(1, 2).divi(safe);
            INDArray meanSquare = channel.mul(channel).muli(mask).sum(1, 2).divi(safe);
            INDArray variance = Transforms.max(meanSquare.subi(mean.mul(mean)), 0.0, false);
            total.addi(Transforms.sqrt(variance, false));
        }
        return emptyAsOne(total.divi(3.0), count);
    }

    private static INDArray emptyAsOne(INDArray values, INDArray count) {
        INDArray empty = count.eq(0.0).castTo(DataType.DOUBLE);
        return values.muli(empty.rsub(1.0)).addi(empty);
    }

    private static INDArray channel(INDArray u, int c) {
        return u.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /**
     * The number of 8-connected components of each mask (N, H, W): every foreground pixel starts
     * with its own label (its index + 1), labels spread as the maximum over neighbours until
     * nothing changes, and each component keeps exactly one pixel whose label is its own index.
     */
    static INDArray components(INDArray mask) {
        long n = mask.size(0);
        long h = mask.size(1);
        long w = mask.size(2);
        INDArray ids = Nd4j.arange(1, h * w + 1).castTo(DataType.DOUBLE).reshape(1, h, w);
        INDArray own = mask.mul(ids.broadcast(n, h, w));
        INDArray labels = own.dup();
        // a label travels at least one pixel per round, so h * w rounds always suffice
        for (long round = 0; round < h * w; round++) {
            INDArray next = labels.dup();
            for (int[] d : NEIGHBOURS_8) {
                next = Transforms.max(next, shift(labels, d[0], d[1]), false);
            }
            next.muli(mask);
            if (next.equals(labels)) {
                break;
            }
            labels = next;
        }
        return labels.eq(own).castTo(DataType.DOUBLE).muli(mask).sum(1, 2);
    }

    /** out[i, j] = a[i + dy, j + dx], repeating the border outside the image. */
    private static INDArray shift(INDArray a, int dy, int dx) {
        return shiftAxis(shiftAxis(a, 1, dy), 2, dx);
    }

    private static INDArray shiftAxis(INDArray a, int axis, int by) {
        if (by == 0) {
            return a;
        }
        long len = a.size(axis);
        INDArray body = by > 0 ? slice(a, axis, by, len) : slice(a, axis, 0, len + by);
        INDArray edge = by > 0 ? slice(a, axis, len - 1, len) : slice(a, axis, 0, 1);
        return by > 0 ? Nd4j.concat(axis, body, edge) : Nd4j.concat(axis, edge, body);
    }

    private static INDArray slice(INDArray a, int axis, long from, long to) {
        return axis == 1
                ? a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all())
                : a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }
}
