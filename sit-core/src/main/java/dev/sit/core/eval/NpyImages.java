package dev.sit.core.eval;

import dev.sit.core.io.NpyHeader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** uint8 NHWC images streamed from an {@code .npy} file or the {@code arr_0.npy} member of an {@code .npz}. */
final class NpyImages implements ImageSource {

    private final String source;
    private final InputStream in;
    private final ZipFile zip;
    private final long count;
    private final long[] imageShape; // H, W, 3
    private long read;

    private NpyImages(String source, InputStream in, ZipFile zip, long count, long[] imageShape) {
        this.source = source;
        this.in = in;
        this.zip = zip;
        this.count = count;
        this.imageShape = imageShape;
    }

    static NpyImages open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image file or folder");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".npz")) {
            ZipFile zip = new ZipFile(file.toFile());
            ZipEntry entry = zip.getEntry("arr_0.npy");
            if (entry == null) {
                String members = zip.stream().map(ZipEntry::getName).limit(8).toList().toString();
                zip.close();
                throw new IllegalArgumentException(file + " has no arr_0 (members: " + members + "); an image"
                        + " archive keeps uint8 NHWC images in arr_0, as np.savez(path, images) writes it");
            }
            return start(file + "!arr_0.npy", new BufferedInputStream(zip.getInputStream(entry), 1 << 20), zip);
        }
        if (!name.endsWith(".npy")) {
            throw new IllegalArgumentException(file + ": images must be an .npy or .npz (arr_0) of uint8 NHWC images,"
                    + " or a folder of PNG/JPEG files");
        }
        return start(file.toString(), new BufferedInputStream(Files.newInputStream(file), 1 << 20), null);
    }

    private static NpyImages start(String source, InputStream in, ZipFile zip) throws IOException {
        try {
            byte[] pre = in.readNBytes(12);
            ByteBuffer b = ByteBuffer.wrap(pre).order(ByteOrder.LITTLE_ENDIAN);
            int major = pre.length >= 8 ? pre[6] & 0xff : 0;
            long len = major == 1 && pre.length >= 10 ? 10 + Short.toUnsignedInt(b.getShort(8))
                    : pre.length >= 12 ? 12 + Integer.toUnsignedLong(b.getInt(8)) : 12;
            if (len > (1 << 20)) {
                throw new IllegalArgumentException(source + ": not a NumPy array (header length " + len + ")");
            }
            byte[] header = Arrays.copyOf(pre, (int) len);
            byte[] rest = in.readNBytes((int) len - pre.length);
            System.arraycopy(rest, 0, header, pre.length, rest.length);
            NpyHeader h = NpyHeader.parse(ByteBuffer.wrap(header), source);
            long[] s = h.shape();
            if (!h.descr().equals("|u1") || s.length != 4 || s[3] != 3 || h.fortranOrder()) {
                throw new IllegalArgumentException(source + ": expected uint8 RGB images (N, H, W, 3) in C order, got "
                        + h.descr() + " " + Arrays.toString(s) + "; save them with np.savez(path, images.astype(np.uint8))"
                        + " in NHWC layout");
            }
            return new NpyImages(source, in, zip, s[0], new long[] {s[1], s[2], s[3]});
        } catch (IOException | RuntimeException e) {
            in.close();
            if (zip != null) {
                zip.close();
            }
            throw e;
        }
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public INDArray next(int n) throws IOException {
        int take = (int) Math.min(n, count - read);
        long[] shape = {take, imageShape[0], imageShape[1], imageShape[2]};
        if (take <= 0) {
            return Nd4j.create(DataType.UBYTE, 0, imageShape[0], imageShape[1], imageShape[2]);
        }
        int bytes = Math.toIntExact(take * imageShape[0] * imageShape[1] * imageShape[2]);
        byte[] data = in.readNBytes(bytes);
        if (data.length != bytes) {
            throw new EOFException(source + " is truncated: image " + (read + data.length / (bytes / take))
                    + " of " + count + " is incomplete");
        }
        read += take;
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes).put(data);
        direct.flip();
        return Nd4j.create(Nd4j.createBuffer(direct, DataType.UBYTE, bytes), shape);
    }

    @Override
    public void skip(long n) throws IOException {
        long take = Math.min(n, count - read);
        long bytes = take * imageShape[0] * imageShape[1] * imageShape[2];
        try {
            in.skipNBytes(bytes);
        } catch (EOFException e) {
            throw new EOFException(source + " is truncated: it ends before image " + (read + take) + " of " + count);
        }
        read += take;
    }

    @Override
    public void close() throws IOException {
        in.close();
        if (zip != null) {
            zip.close();
        }
    }
}
