package dev.sit.core.image;

import dev.sit.core.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes mass samples the way the reference's {@code sample_ddp.py} does: one PNG per image,
 * named by its global index ({@code 000000.png}, {@code 000001.png}, ...), pixels quantised
 * with {@link Quantization#ADM_SAMPLES}. Each file is written under a temporary name and then
 * renamed, so an interrupted run never leaves a truncated PNG and can resume from
 * {@link #countExisting}.
 */
public final class PngWriter {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private PngWriter() {
    }

    /** The file name of sample {@code index}: six digits at least, like {@code f"{i:06d}.png"}. */
    public static String sampleName(long index) {
        return String.format("%06d.png", index);
    }

    /**
     * Writes the batch (N, C, H, W) in [-1, 1] as {@code firstIndex + i} for i in [0, N) and
     * returns the paths. C is 3 (RGB) or 1 (gray PNG).
     */
    public static List<Path> writeSamples(INDArray batch, Path dir, long firstIndex) throws IOException {
        return writeSamples(batch, dir, firstIndex, Quantization.ADM_SAMPLES);
    }

    /** {@link #writeSamples(INDArray, Path, long)} with another quantisation (the VAE's decodings use SAVE_IMAGE). */
    public static List<Path> writeSamples(INDArray batch, Path dir, long firstIndex, Quantization quantization)
            throws IOException {
        long[] s = batch.shape();
        if (batch.rank() != 4 || (s[1] != 1 && s[1] != 3)) {
            throw new IllegalArgumentException("samples must be images (N, 1|3, H, W) in [-1, 1], got shape "
                    + Arrays.toString(s) + (batch.rank() == 4 && s[1] == 4 ? " (latents: decode them with the VAE first)" : ""));
        }
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        byte[] pixels = quantization.toNhwc(batch);
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            Uint8Image image = new Uint8Image(w, h, c, Arrays.copyOfRange(pixels, k * h * w * c, (k + 1) * h * w * c));
            Path file = dir.resolve(sampleName(firstIndex + k));
            AtomicFile.write(file, encode(image));
            out.add(file);
        }
        return out;
    }

    /** A PNG of an 8-bit image (gray or RGB), pixels stored exactly. */
    public static byte[] encode(Uint8Image image) {
        BufferedImage b = new BufferedImage(image.width(), image.height(),
                image.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        int[] v = new int[image.pixels().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = image.pixels()[i] & 0xFF;
        }
        b.getRaster().setPixels(0, 0, image.width(), image.height(), v);
        return ImageGrid.encodePng(b);
    }

    /**
     * How many samples are already written: the length of the run {@code 000000.png},
     * {@code 000001.png}, ... without a gap (temporary files do not count).
     */
    public static long countExisting(Path dir) {
        long n = 0;
        while (Files.isRegularFile(dir.resolve(sampleName(n)))) {
            n++;
        }
        return n;
    }
}
