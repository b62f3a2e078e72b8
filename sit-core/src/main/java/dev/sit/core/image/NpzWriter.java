package dev.sit.core.image;

import dev.sit.core.io.NpyHeader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes the input of the ADM evaluation suite: a NumPy {@code .npz} (a ZIP archive, entries
 * stored uncompressed, like {@code numpy.savez}) with one member {@code arr_0.npy}, uint8
 * {@code (N, H, W, 3)}. The {@code .npy} member is byte for byte what NumPy writes. Images are
 * appended one batch at a time (a temporary file holds the pixels, so N is unbounded); gray
 * images are replicated to three channels because the suite expects RGB. {@link #close()}
 * writes the archive under a temporary name and renames it.
 */
public final class NpzWriter implements AutoCloseable {

    private final Path target;
    private final int height;
    private final int width;
    private final Path pixelFile;
    private final OutputStream pixels;
    private long count;
    private boolean closed;

    /** A writer of images of the given size; nothing appears at {@code target} before {@link #close()}. */
    public NpzWriter(Path target, int height, int width) throws IOException {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        this.target = target;
        this.height = height;
        this.width = width;
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.pixelFile = Files.createTempFile(dir, "." + target.getFileName(), ".pixels");
        this.pixels = new BufferedOutputStream(Files.newOutputStream(pixelFile), 1 << 20);
    }

    /** Appends images (N, 1|3, H, W) in [-1, 1], quantised like {@link Quantization#ADM_SAMPLES}. */
    public void append(INDArray batch) throws IOException {
        long[] s = batch.shape();
        if (batch.rank() != 4 || (s[1] != 1 && s[1] != 3) || s[2] != height || s[3] != width) {
            throw new IllegalArgumentException("expected images (N, 1|3, " + height + ", " + width + "), got "
                    + java.util.Arrays.toString(s));
        }
        byte[] nhwc = Quantization.ADM_SAMPLES.toNhwc(batch);
        int n = (int) s[0];
        for (int k = 0; k < n; k++) {
            append(new Uint8Image(width, height, (int) s[1],
                    java.util.Arrays.copyOfRange(nhwc, k * height * width * (int) s[1], (k + 1) * height * width * (int) s[1])));
        }
    }

    /** Appends one 8-bit image (for example a sample PNG read back). */
    public void append(Uint8Image image) throws IOException {
        if (closed) {
            throw new IllegalStateException("NpzWriter for " + target + " is closed");
        }
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("image is " + image.width() + "x" + image.height()
                    + ", this archive holds " + width + "x" + height);
        }
        if (image.channels() == 3) {
            pixels.write(image.pixels());
        } else {
            byte[] rgb = new byte[width * height * 3];
            for (int i = 0; i < width * height; i++) {
                byte g = image.pixels()[i];
                rgb[3 * i] = g;
                rgb[3 * i + 1] = g;
                rgb[3 * i + 2] = g;
            }
            pixels.write(rgb);
        }
        count++;
    }

    /** Number of images appended so far. */
    public long count() {
        return count;
    }

    /** Builds {@code <dir>.npz} from the samples {@code 000000.png} ... of a folder, like {@code create_npz_from_sample_folder}. */
    public static Path fromSampleFolder(Path dir, long num) throws IOException {
        Path target = dir.resolveSibling(dir.getFileName() + ".npz");
        NpzWriter writer = null;
        try {
            for (long i = 0; i < num; i++) {
                Path file = dir.resolve(PngWriter.sampleName(i));
                if (!Files.isRegularFile(file)) {
                    throw new IOException("sample " + file + " is missing: " + num + " samples were asked for");
                }
                Uint8Image image = ImageDecoder.readRgb(file);
                if (writer == null) {
                    writer = new NpzWriter(target, image.height(), image.width());
                }
                writer.append(image);
            }
            if (writer == null) {
                throw new IllegalArgumentException("no samples to pack (num = " + num + ")");
            }
            writer.close();
            return target;
        } finally {
            if (writer != null) {
                writer.abortIfOpen();
            }
        }
    }

    private void abortIfOpen() throws IOException {
        if (!closed) {
            closed = true;
            pixels.close();
            Files.deleteIfExists(pixelFile);
        }
    }

    /** Writes {@code arr_0.npy} into the archive and moves it into place. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        pixels.close();
        Path tmp = null;
        try {
            byte[] header = NpyHeader.of("|u1", count, height, width, 3).encode();
            long dataBytes = Files.size(pixelFile);
            CRC32 crc = new CRC32();
            crc.update(header);
            byte[] buf = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(pixelFile)) {
                for (int r; (r = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, r);
                }
            }
            tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                ZipEntry entry = new ZipEntry("arr_0.npy");
                entry.setMethod(ZipEntry.STORED);
                // a fixed time stamp: the same images give a byte-identical archive (resumed or not)
                entry.setTime(946684800000L);
                entry.setSize(header.length + dataBytes);
                entry.setCompressedSize(header.length + dataBytes);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(header);
                Files.copy(pixelFile, zip);
                zip.closeEntry();
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(pixelFile);
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
