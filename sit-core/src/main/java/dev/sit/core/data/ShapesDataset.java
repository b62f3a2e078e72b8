package dev.sit.core.data;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synthetic class-conditional images: example {@code i} has label {@code i % 10} and shows
 * that {@link ShapeClass} (distinct shape and colour) on a dark gray background, with a
 * position, radius, rotation, colour jitter and background level drawn from
 * {@code IndexedRandom(seed, i)}: the same index always gives the same image, independent of
 * batch composition or threads. Rendered with Java2D (antialiased), RGB, scaled to [-1, 1].
 * There is no other augmentation, so {@code augmentationSeed} is unused.
 */
public final class ShapesDataset implements Dataset {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final ShapeClass[] CLASSES = ShapeClass.values();

    private final long size;
    private final int imageSize;
    private final long seed;

    public ShapesDataset(long size, int imageSize, long seed) {
        if (size < 1 || imageSize < 8) {
            throw new IllegalArgumentException("shapes needs size >= 1 and image size >= 8, got " + size + ", " + imageSize);
        }
        this.size = size;
        this.imageSize = imageSize;
        this.seed = seed;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long[] exampleShape() {
        return new long[] {3, imageSize, imageSize};
    }

    @Override
    public int numClasses() {
        return CLASSES.length;
    }

    @Override
    public List<String> classNames() {
        return Arrays.stream(CLASSES).map(ShapeClass::label).toList();
    }

    /** The label of example {@code index}. */
    public int labelOf(long index) {
        return (int) Math.floorMod(index, CLASSES.length);
    }

    @Override
    public Batch load(long[] indices, long augmentationSeed) {
        int n = indices.length;
        int plane = imageSize * imageSize;
        float[] raw = new float[n * 3 * plane];
        long[] labels = new long[n];
        IntStream.range(0, n).parallel().forEach(k -> {
            long index = indices[k];
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("example " + index + " outside the shapes dataset of " + size);
            }
            labels[k] = labelOf(index);
            int[] argb = render(index);
            int base = k * 3 * plane;
            for (int p = 0; p < plane; p++) {
                int v = argb[p];
                raw[base + p] = (v >> 16) & 0xFF;
                raw[base + plane + p] = (v >> 8) & 0xFF;
                raw[base + 2 * plane + p] = v & 0xFF;
            }
        });
        INDArray x = Nd4j.create(raw, new long[] {n, 3, imageSize, imageSize}, 'c').divi(127.5).subi(1.0);
        return new Batch(x, Nd4j.createFromArray(labels));
    }

    /** Example {@code index} as packed RGB pixels, row by row. */
    int[] render(long index) {
        SplittableRandom rnd = IndexedRandom.of(seed, index);
        ShapeClass cls = CLASSES[labelOf(index)];
        double s = imageSize;
        int bg = rnd.nextInt(0, 36);
        double radius = s * (0.22 + 0.12 * rnd.nextDouble());
        double margin = s / 2 - radius * 1.05;
        double cx = s / 2 + (margin > 0 ? (2 * rnd.nextDouble() - 1) * Math.min(margin, 0.18 * s) : 0);
        double cy = s / 2 + (margin > 0 ? (2 * rnd.nextDouble() - 1) * Math.min(margin, 0.18 * s) : 0);
        double angle = 2 * Math.PI * rnd.nextDouble();
        int rgb = cls.rgb();
        int r = jitter((rgb >> 16) & 0xFF, rnd);
        int g = jitter((rgb >> 8) & 0xFF, rnd);
        int b = jitter(rgb & 0xFF, rnd);

        BufferedImage image = new BufferedImage(imageSize, imageSize, BufferedImage.TYPE_INT_RGB);
        Graphics2D gfx = image.createGraphics();
        try {
            gfx.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            gfx.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            gfx.setColor(new Color(bg, bg, bg));
            gfx.fillRect(0, 0, imageSize, imageSize);
            AffineTransform t = new AffineTransform();
            t.translate(cx, cy);
            t.rotate(angle);
            t.scale(radius, radius);
            gfx.setColor(new Color(r, g, b));
            gfx.setStroke(new BasicStroke(0f));
            gfx.fill(t.createTransformedShape(cls.outline()));
        } finally {
            gfx.dispose();
        }
        return image.getRGB(0, 0, imageSize, imageSize, null, 0, imageSize);
    }

    private static int jitter(int channel, SplittableRandom rnd) {
        return Math.max(0, Math.min(255, channel + rnd.nextInt(-12, 13)));
    }
}
