package dev.sit.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Encodes and decodes whole NumPy {@code .npy} arrays in memory (for checksums, {@code .npz}
 * members and shards; {@code dev.sit.core.io.NpyFile} reads and writes files, including
 * Fortran order): float32 {@code <f4}, float64 {@code <f8},
 * int32 {@code <i4}, int64 {@code <i8}, uint8 {@code |u1}, little-endian, C order. Written
 * bytes equal {@code numpy.save}'s. Unlike {@code Nd4j.writeAsNumpy} it copies views and
 * f-ordered arrays to C order first.
 */
public final class NpyCodec {

    private NpyCodec() {
    }

    /** numpy's type string for an ND4J data type. */
    public static String descrOf(DataType type) {
        return switch (type) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case INT -> "<i4";
            case LONG -> "<i8";
            case UBYTE -> "|u1";
            default -> throw new IllegalArgumentException("no .npy writer for data type " + type
                    + "; cast to FLOAT, DOUBLE, INT, LONG or UBYTE first");
        };
    }

    /** The complete file contents (header + data) of an array. */
    public static byte[] encode(INDArray array) {
        INDArray c = array.dup('c');
        NpyHeader header = NpyHeader.of(descrOf(c.dataType()), c.shape());
        byte[] head = header.encode();
        long total = head.length + header.dataBytes();
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("array too large to encode in memory: " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(head);
        switch (c.dataType()) {
            case FLOAT -> out.asFloatBuffer().put(c.data().asFloat());
            case DOUBLE -> out.asDoubleBuffer().put(c.data().asDouble());
            case INT -> out.asIntBuffer().put(c.data().asInt());
            case LONG -> out.asLongBuffer().put(c.data().asLong());
            case UBYTE -> {
                int[] v = c.data().asInt();
                for (int i = 0; i < v.length; i++) {
                    out.put(head.length + i, (byte) v[i]);
                }
            }
            default -> throw new IllegalStateException();
        }
        return out.array();
    }

    /** Writes bytes atomically: a temporary file in the same folder, then a rename. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads the header at the start of an open file. */
    public static NpyHeader readHeader(FileChannel ch, String source) throws IOException {
        ByteBuffer first = ByteBuffer.allocate((int) Math.min(ch.size(), 12));
        ch.read(first, 0);
        first.flip();
        if (first.remaining() < 10) {
            throw new IOException(source + ": too short for a .npy file");
        }
        int major = first.get(6);
        long len = major == 1
                ? 10 + Short.toUnsignedInt(first.order(ByteOrder.LITTLE_ENDIAN).getShort(8))
                : 12 + Integer.toUnsignedLong(first.order(ByteOrder.LITTLE_ENDIAN).getInt(8));
        if (len > ch.size() || len > 1 << 20) {
            throw new IOException(source + ": truncated or invalid .npy header");
        }
        ByteBuffer all = ByteBuffer.allocate((int) len);
        ch.read(all, 0);
        all.flip();
        NpyHeader header = NpyHeader.parse(all, source);
        long expected = header.headerBytes() + header.dataBytes();
        if (ch.size() != expected) {
            throw new IOException(source + ": file has " + ch.size() + " bytes, its header " + header
                    + " needs " + expected);
        }
        return header;
    }

    /** Decodes the bytes of a whole {@code .npy} file; integer types become LONG/INT, uint8 becomes UBYTE. */
    public static INDArray decode(byte[] bytes, String source) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        NpyHeader h = NpyHeader.parse(buf, source);
        if (bytes.length != h.headerBytes() + h.dataBytes()) {
            throw new IOException(source + ": " + bytes.length + " bytes, header " + h + " needs "
                    + (h.headerBytes() + h.dataBytes()));
        }
        buf.position(h.headerBytes());
        int n = Math.toIntExact(h.elementCount());
        long[] shape = h.shape();
        INDArray flat = switch (h.descr()) {
            case "<f4" -> {
                float[] v = new float[n];
                buf.asFloatBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case "<f8" -> {
                double[] v = new double[n];
                buf.asDoubleBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case "<i4" -> {
                int[] v = new int[n];
                buf.asIntBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case "<i8" -> {
                long[] v = new long[n];
                buf.asLongBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case "|u1" -> {
                byte[] v = new byte[n];
                buf.get(v);
                int[] wide = new int[n];
                for (int i = 0; i < n; i++) {
                    wide[i] = Byte.toUnsignedInt(v[i]);
                }
                yield Nd4j.createFromArray(wide).castTo(DataType.UBYTE);
            }
            default -> throw new IOException(source + ": unsupported dtype " + h.descr());
        };
        return shape.length == 0 ? flat.reshape() : flat.reshape('c', shape);
    }
}
