package dev.sit.core.data;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.core.image.PilResampler;
import dev.sit.core.image.Uint8Image;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small gray images held in memory (for example Fashion-MNIST), each brought to a square
 * image size by centred padding with black (-1) or by Pillow's bicubic resize, then scaled to
 * [-1, 1] as {@code u8 / 127.5 - 1}. No augmentation.
 */
public final class GrayImageDataset implements Dataset {

    /** How the stored size becomes the image size. */
    public enum Fit { PAD, RESIZE }

    private final byte[] pixels;
    private final byte[] labels;
    private final int height;
    private final int width;
    private final int imageSize;
    private final Fit fit;
    private final List<String> classNames;

    public GrayImageDataset(byte[] pixels, byte[] labels, int height, int width, int imageSize, Fit fit, List<String> classNames) {
        if (pixels.length != (long) labels.length * height * width) {
            throw new IllegalArgumentException(labels.length + " labels but " + pixels.length + " pixel bytes for "
                    + height + "x" + width + " images");
        }
        if (fit == Fit.PAD && (imageSize < height || imageSize < width)) {
            throw new IllegalArgumentException("cannot pad " + height + "x" + width + " images to " + imageSize + "x"
                    + imageSize + ": use fit: resize or a larger image size");
        }
        this.pixels = pixels;
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.imageSize = imageSize;
        this.fit = fit;
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public long size() {
        return labels.length;
    }

    @Override
    public long[] exampleShape() {
        return new long[] {1, imageSize, imageSize};
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Batch load(long[] indices, long augmentationSeed) {
        int n = indices.length;
        int plane = imageSize * imageSize;
        float[] raw = new float[n * plane];
        long[] y = new long[n];
        IntStream.range(0, n).parallel().forEach(k -> {
            long index = indices[k];
            if (index < 0 || index >= labels.length) {
                throw new IndexOutOfBoundsException("example " + index + " outside a dataset of " + labels.length);
            }
            y[k] = labels[(int) index] & 0xFF;
            int offset = (int) index * height * width;
            if (fit == Fit.PAD) {
                int top = (imageSize - height) / 2;
                int left = (imageSize - width) / 2;
                for (int r = 0; r < height; r++) {
                    for (int c = 0; c < width; c++) {
                        raw[k * plane + (top + r) * imageSize + left + c] = pixels[offset + r * width + c] & 0xFF;
                    }
                }
            } else {
                byte[] one = java.util.Arrays.copyOfRange(pixels, offset, offset + height * width);
                Uint8Image resized = PilResampler.resize(new Uint8Image(width, height, 1, one), imageSize, imageSize,
                        PilResampler.Filter.BICUBIC);
                for (int p = 0; p < plane; p++) {
                    raw[k * plane + p] = resized.pixels()[p] & 0xFF;
                }
            }
        });
        return new Batch(Nd4j.create(raw, new long[] {n, 1, imageSize, imageSize}, 'c').divi(127.5).subi(1.0),
                Nd4j.createFromArray(y));
    }
}
