package dev.sit.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an image file (JPEG, PNG, BMP, GIF: whatever {@code javax.imageio} reads) to 8-bit
 * RGB, like PIL's {@code Image.open(f).convert("RGB")}: gray is replicated to the three
 * channels, alpha is dropped (not blended), palettes are expanded. 8-bit samples are taken
 * from the raster directly, because {@code BufferedImage.getRGB} re-encodes gray images
 * through a colour space and changes their values.
 *
 * <p>Known deviations from PIL: Java's JPEG decoder (IJG 6b based) and libjpeg-turbo may
 * differ by a few levels on some pixels; CMYK/YCCK JPEGs are not readable and count as bad
 * files; 16-bit PNGs are reduced through {@code getRGB}.
 */
public final class ImageDecoder {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ImageDecoder() {
    }

    /** Decodes the file; any failure is an IOException naming the file. */
    public static Uint8Image readRgb(Path file) throws IOException {
        BufferedImage image;
        try (InputStream in = Files.newInputStream(file); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image format Java can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, true);
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString())
                    ? e : new IOException(file + ": cannot decode image: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot decode image: " + e, e);
        }
        if (image == null) {
            throw new IOException(file + ": cannot decode image");
        }
        return toRgb(image);
    }

    /** The RGB pixels of a decoded image (see the class comment for the conversion). */
    public static Uint8Image toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        Raster raster = image.getRaster();
        boolean eightBitComponents = image.getColorModel() instanceof ComponentColorModel
                && raster.getDataBuffer().getDataType() == DataBuffer.TYPE_BYTE;
        int bands = raster.getNumBands();
        if (eightBitComponents && (bands == 1 || bands == 2)) {
            // gray (+ alpha): replicate the gray sample
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    byte g = (byte) row[x * bands];
                    int o = (y * w + x) * 3;
                    rgb[o] = g;
                    rgb[o + 1] = g;
                    rgb[o + 2] = g;
                }
            }
        } else if (eightBitComponents && (bands == 3 || bands == 4)
                && image.getColorModel().getColorSpace().isCS_sRGB()) {
            // raster bands are in the colour model's order (R, G, B[, A]) whatever the byte layout
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) row[x * bands];
                    rgb[o + 1] = (byte) row[x * bands + 1];
                    rgb[o + 2] = (byte) row[x * bands + 2];
                }
            }
        } else {
            // packed int RGB, palettes (IndexColorModel expands exactly), 16-bit: the default ARGB view
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
        }
        return new Uint8Image(w, h, 3, rgb);
    }

    /** Gray pixels of a decoded image, sample 0 of an 8-bit raster (PIL mode {@code L} input). */
    public static Uint8Image toGray(BufferedImage image) {
        Raster raster = image.getRaster();
        if (raster.getNumBands() != 1) {
            throw new IllegalArgumentException("not a one-channel image: " + raster.getNumBands() + " bands");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] all = raster.getPixels(0, 0, w, h, (int[]) null);
        byte[] g = new byte[w * h];
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) all[i];
        }
        return new Uint8Image(w, h, 1, g);
    }
}
