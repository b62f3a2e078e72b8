package dev.sit.core.image;

/**
 * Pillow's {@code Image.resize} for 8-bit images with the BOX and BICUBIC filters, bit for bit
 * (Pillow 7 and later, {@code libImaging/Resample.c}): separable, a horizontal pass then a
 * vertical pass (each only if that size changes), coefficients normalised to sum 1 then
 * rounded to 22-bit fixed point, accumulation from 1/2 for rounding, results clipped to
 * [0, 255] and stored as uint8 between the passes. BICUBIC is the Keys kernel with a = -0.5
 * and support 2; BOX is 1 on (-1/2, 1/2] with support 1/2. When shrinking, the kernel is
 * stretched by the scale (antialiasing).
 */
public final class PilResampler {

    /** The resampling filters the ADM center crop uses. */
    public enum Filter {
        BOX(0.5) {
            @Override
            double weight(double x) {
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            }
        },
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResampler() {
    }

    /** The image resized to width x height, as {@code image.resize((width, height), filter)}. */
    public static Uint8Image resize(Uint8Image in, int width, int height, Filter filter) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (width == in.width() && height == in.height()) {
            return in;
        }
        Uint8Image out = in;
        if (width != in.width()) {
            out = horizontal(out, width, Coefficients.of(in.width(), width, filter));
        }
        if (height != in.height()) {
            out = vertical(out, height, Coefficients.of(in.height(), height, filter));
        }
        return out;
    }

    /** Bounds and fixed-point weights of every output position along one axis. */
    private record Coefficients(int ksize, int[] min, int[] count, int[] weights) {

        static Coefficients of(int inSize, int outSize, Filter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] min = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * ksize];
            double[] k = new double[ksize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                // (int) truncates toward zero, like the C cast
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = filter.weight((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double v = ww != 0.0 ? k[x] / ww : k[x];
                    weights[xx * ksize + x] = v < 0
                            ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                min[xx] = xmin;
                count[xx] = xmax;
            }
            return new Coefficients(ksize, min, count, weights);
        }
    }

    private static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static Uint8Image horizontal(Uint8Image in, int outWidth, Coefficients c) {
        int ch = in.channels();
        int inW = in.width();
        byte[] src = in.pixels();
        byte[] dst = new byte[outWidth * in.height() * ch];
        for (int y = 0; y < in.height(); y++) {
            int rowIn = y * inW * ch;
            int rowOut = y * outWidth * ch;
            for (int xx = 0; xx < outWidth; xx++) {
                int xmin = c.min[xx];
                int n = c.count[xx];
                int kOff = xx * c.ksize;
                for (int b = 0; b < ch; b++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < n; x++) {
                        ss += (src[rowIn + (x + xmin) * ch + b] & 0xFF) * c.weights[kOff + x];
                    }
                    dst[rowOut + xx * ch + b] = (byte) clip8(ss);
                }
            }
        }
        return new Uint8Image(outWidth, in.height(), ch, dst);
    }

    private static Uint8Image vertical(Uint8Image in, int outHeight, Coefficients c) {
        int ch = in.channels();
        int rowLen = in.width() * ch;
        byte[] src = in.pixels();
        byte[] dst = new byte[outHeight * rowLen];
        for (int yy = 0; yy < outHeight; yy++) {
            int ymin = c.min[yy];
            int n = c.count[yy];
            int kOff = yy * c.ksize;
            for (int i = 0; i < rowLen; i++) {
                int ss = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < n; y++) {
                    ss += (src[(y + ymin) * rowLen + i] & 0xFF) * c.weights[kOff + y];
                }
                dst[yy * rowLen + i] = (byte) clip8(ss);
            }
        }
        return new Uint8Image(in.width(), outHeight, ch, dst);
    }
}
