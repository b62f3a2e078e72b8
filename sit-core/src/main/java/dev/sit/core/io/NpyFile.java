package dev.sit.core.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy {@code .npy} arrays, in files and in memory (shards, {@code .npz} members): a magic
 * string, a version, a little-endian header length, an ASCII Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (4, 8), }} padded to a multiple of 64
 * bytes ({@link NpyHeader}), then the raw little-endian data. Reads C and Fortran order into
 * C-ordered arrays; writes C order, byte for byte as {@code numpy.save} (views and f-ordered
 * arrays are copied to C order first, unlike {@code Nd4j.writeAsNumpy}). Element types:
 * {@code <f4} (FLOAT), {@code <f8} (DOUBLE), {@code <f2} (HALF), {@code <i8} (LONG), {@code <i4}
 * (INT), {@code <i2}, {@code |i1}, {@code |u1} (UBYTE), {@code |b1}. Object arrays (pickles) and
 * big-endian data are refused.
 */
public final class NpyFile {

    private NpyFile() {
    }

    /** Reads an array; the result is always C-ordered, whatever order the file stores. */
    public static INDArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(ch, file.toString());
            return readData(ch, h, ch.size() - h.headerBytes(), file.toString());
        }
    }

    /** The header of an open file (the channel is left at the first data byte). */
    public static NpyHeader readHeader(FileChannel ch, String source) throws IOException {
        return NpyHeader.read(ch, source);
    }

    /** Decodes the bytes of a whole {@code .npy} file; {@code source} names it in errors. */
    public static INDArray decode(byte[] bytes, String source) throws IOException {
        NpyHeader h = NpyHeader.parse(ByteBuffer.wrap(bytes), source);
        if (bytes.length != h.headerBytes() + h.dataBytes()) {
            throw new CheckpointFormatException(source + ": " + bytes.length + " bytes, but its header " + h + " needs "
                    + (h.headerBytes() + h.dataBytes()));
        }
        ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(bytes, h.headerBytes(),
                bytes.length - h.headerBytes()));
        return readData(in, h, bytes.length - h.headerBytes(), source);
    }

    private static INDArray readData(ReadableByteChannel in, NpyHeader h, long available, String source)
            throws IOException {
        long expected = h.dataBytes();
        if (available < expected) {
            throw new CheckpointFormatException(source + ": shape " + Arrays.toString(h.shape()) + " of " + h.descr()
                    + " needs " + expected + " data bytes but only " + available + " follow the header");
        }
        long[] shape = h.shape();
        // Fortran order: the bytes are the C-order array of the reversed shape, transposed.
        long[] stored = h.fortranOrder() ? reversed(shape) : shape;
        INDArray arr;
        try {
            arr = TensorBytes.read(in, h.type(), stored);
        } catch (EOFException e) {
            throw new CheckpointFormatException(source + ": truncated data: " + e.getMessage(), e);
        }
        if (h.fortranOrder() && shape.length > 1) {
            int[] perm = new int[shape.length];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = perm.length - 1 - i;
            }
            arr = arr.permute(perm).dup('c');
        }
        return arr;
    }

    /**
     * Writes {@code arr} in C order (a view or an F-ordered array is copied to C order first).
     * The descriptor follows the array's type: FLOAT {@code <f4}, DOUBLE {@code <f8}, LONG
     * {@code <i8}, INT {@code <i4}, HALF {@code <f2}, SHORT, BYTE, UBYTE, BOOL.
     */
    public static void write(Path file, INDArray arr) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch, arr);
        }
    }

    /** The complete file contents (header + data) of an array, as {@link #write(Path, INDArray)} writes them. */
    public static byte[] encode(INDArray arr) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(Channels.newChannel(out), arr);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void write(WritableByteChannel ch, INDArray arr) throws IOException {
        TensorDType type = TensorDType.of(arr.dataType()).filter(t -> t.numpyDescr().isPresent())
                .orElseThrow(() -> new IllegalArgumentException("cannot write an ND4J " + arr.dataType()
                        + " array as .npy (supported: FLOAT, DOUBLE, HALF, LONG, INT, SHORT, BYTE, UBYTE, BOOL)"));
        ByteBuffer header = ByteBuffer.wrap(NpyHeader.of(type, arr.shape()).encode());
        while (header.hasRemaining()) {
            ch.write(header);
        }
        TensorBytes.write(ch, arr);
    }

    private static long[] reversed(long[] shape) {
        long[] r = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            r[i] = shape[shape.length - 1 - i];
        }
        return r;
    }
}
