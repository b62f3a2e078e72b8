package dev.sit.core.image;

import dev.sit.core.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A PNG grid of a batch of images (N, C, H, W) in [-1, 1], laid out like torchvision's
 * {@code make_grid(nrow=columns, padding)}: images row by row, {@code columns} per row
 * ({@code min(columns, N)} wide), {@code ceil(N / columns)} rows, {@code padding} pixels of
 * {@code padValue} around and between them; the canvas is
 * {@code (rows (H + p) + p) x (cols (W + p) + p)}. Values are quantised like
 * {@code save_image(normalize=True, value_range=(-1, 1))} by default. One channel gives a gray
 * PNG, three an RGB PNG; four channels are latents, which must be decoded first.
 */
public record ImageGrid(int columns, int padding, int padValue, Quantization quantization) {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    public ImageGrid {
        if (columns < 1) {
            throw new IllegalArgumentException("a grid needs at least one column, got " + columns);
        }
        if (padding < 0 || padValue < 0 || padValue > 255) {
            throw new IllegalArgumentException("padding must be >= 0 and padValue in [0, 255], got "
                    + padding + ", " + padValue);
        }
    }

    /** The reference's grid: 2 pixels of black padding, save_image quantisation. */
    public static ImageGrid withColumns(int columns) {
        return new ImageGrid(columns, 2, 0, Quantization.SAVE_IMAGE);
    }

    /** Lays the batch out; see the class comment. */
    public BufferedImage render(INDArray batch) {
        long[] s = batch.shape();
        if (batch.rank() != 4) {
            throw new IllegalArgumentException("an image grid needs a batch (N, C, H, W), got shape " + Arrays.toString(s));
        }
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        if (c == 4) {
            throw new IllegalArgumentException("a batch with 4 channels holds latents, not images: decode them "
                    + "with the VAE (vae.decode(latent / 0.18215)) before making a grid");
        }
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("images must have 1 (gray) or 3 (RGB) channels, got " + c);
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot make a grid of an empty batch");
        }
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        int width = cols * (w + padding) + padding;
        int height = rows * (h + padding) + padding;
        BufferedImage image = new BufferedImage(width, height,
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        int[] canvas = new int[width * height * c];
        Arrays.fill(canvas, padValue);
        byte[] pixels = quantization.toNhwc(batch);
        for (int k = 0; k < n; k++) {
            int x0 = padding + (k % cols) * (w + padding);
            int y0 = padding + (k / cols) * (h + padding);
            for (int y = 0; y < h; y++) {
                int src = ((k * h + y) * w) * c;
                int dst = ((y0 + y) * width + x0) * c;
                for (int i = 0; i < w * c; i++) {
                    canvas[dst + i] = pixels[src + i] & 0xFF;
                }
            }
        }
        raster.setPixels(0, 0, width, height, canvas);
        return image;
    }

    /** The grid encoded as PNG. */
    public PngImage png(INDArray batch) {
        BufferedImage image = render(batch);
        return new PngImage(encodePng(image), image.getWidth(), image.getHeight());
    }

    /** Writes the grid as a PNG file, atomically (temporary file, then rename). */
    public PngImage write(INDArray batch, Path file) throws IOException {
        PngImage png = png(batch);
        AtomicFile.write(file, png.png());
        return png;
    }

    static byte[] encodePng(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
