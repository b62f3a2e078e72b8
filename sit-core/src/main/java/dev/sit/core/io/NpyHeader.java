package dev.sit.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file: element type ({@code descr}, e.g. {@code <f4},
 * {@code <i8}, {@code |u1}), shape, whether the data is in Fortran order, and the header's length
 * in bytes (where the data starts). {@link #encode()} writes exactly what {@code numpy.save}
 * writes, so a file can be compared byte for byte with NumPy's: version 1.0 (2.0 for a header
 * over 64 KiB), the dict in NumPy's key order, 21 - len(repr(shape[0])) spaces of growth room,
 * then spaces up to a multiple of 64 bytes and a newline. {@link #parse} reads versions 1.0,
 * 2.0 and 3.0.
 */
public record NpyHeader(String descr, long[] shape, boolean fortranOrder, int headerBytes) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public NpyHeader {
        shape = shape.clone();
    }

    /** A header for a C-order array of {@code type}; its encoded length is computed. */
    public static NpyHeader of(TensorDType type, long... shape) {
        String descr = type.numpyDescr().orElseThrow(() -> new IllegalArgumentException(
                "NumPy has no " + type + " type: cast to FLOAT first"));
        return new NpyHeader(descr, shape, false, 0).withEncodedLength();
    }

    /** A header for a C-order array of a NumPy type such as {@code |u1}. */
    public static NpyHeader of(String descr, long... shape) {
        return of(TensorDType.fromNumpy(descr).orElseThrow(() -> new IllegalArgumentException(
                "unsupported dtype '" + descr + "'")), shape);
    }

    private NpyHeader withEncodedLength() {
        return new NpyHeader(descr, shape, fortranOrder, encode().length);
    }

    /** The element type. */
    public TensorDType type() {
        return TensorDType.fromNumpy(descr).orElseThrow();
    }

    /** Number of elements. */
    public long elementCount() {
        return TensorBytes.elementCount(shape);
    }

    /** Bytes of the data after the header. */
    public long dataBytes() {
        return Math.multiplyExact(elementCount(), (long) type().bytes());
    }

    /** Magic, version, length and the padded dict, exactly as numpy writes them. */
    public byte[] encode() {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': ").append(fortranOrder ? "True" : "False")
                .append(", 'shape': ").append(shapeRepr()).append(", }");
        if (shape.length > 0) {
            long growthAxis = shape[fortranOrder ? shape.length - 1 : 0];
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(growthAxis).length())));
        }
        int major = MAGIC.length + 4 + dict.length() + 1 > 0xFFFF ? 2 : 1;
        int preamble = MAGIC.length + 2 + (major == 1 ? 2 : 4);
        int unpadded = preamble + dict.length() + 1;
        int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(preamble + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        return out.put(text).array();
    }

    private String shapeRepr() {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }

    /** Reads the header at the start of an open file (the channel's position is left after it). */
    public static NpyHeader read(FileChannel ch, String source) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate((int) Math.min(ch.size(), 12)).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(pre, 0);
        pre.flip();
        long len = headerLength(pre, source);
        if (len > ch.size()) {
            throw new CheckpointFormatException(source + ": header length " + len + " runs past the end of the "
                    + ch.size() + "-byte file");
        }
        ByteBuffer all = ByteBuffer.allocate((int) len);
        while (all.hasRemaining()) {
            if (ch.read(all, all.position()) < 0) {
                throw new CheckpointFormatException(source + ": file ends inside the header");
            }
        }
        all.flip();
        NpyHeader h = parse(all, source);
        ch.position(h.headerBytes());
        return h;
    }

    /** Total header length (preamble included) from the first 10 to 12 bytes; checks the magic and version. */
    private static long headerLength(ByteBuffer start, String source) throws CheckpointFormatException {
        ByteBuffer b = start.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 10) {
            throw new CheckpointFormatException(source + ": too short for a NumPy .npy file");
        }
        for (byte m : MAGIC) {
            if (b.get() != m) {
                throw new CheckpointFormatException(source + ": not a NumPy .npy file (no \\x93NUMPY magic)");
            }
        }
        int major = b.get() & 0xFF;
        int minor = b.get() & 0xFF;
        if (major == 1) {
            return 10 + Short.toUnsignedInt(b.getShort());
        }
        if ((major == 2 || major == 3) && b.remaining() >= 4) {
            return 12 + Integer.toUnsignedLong(b.getInt());
        }
        throw new CheckpointFormatException(source + ": unsupported .npy format version " + major + "." + minor
                + " (supported: 1.0, 2.0, 3.0)");
    }

    /**
     * Parses a header from the start of a buffer that holds all of it. Types are those of
     * {@link TensorDType} with a NumPy descriptor; big-endian and object arrays are refused with
     * the source named in the message.
     */
    public static NpyHeader parse(ByteBuffer start, String source) throws CheckpointFormatException {
        long len = headerLength(start, source);
        if (start.remaining() < len) {
            throw new CheckpointFormatException(source + ": truncated .npy header (" + start.remaining() + " of " + len
                    + " bytes)");
        }
        int prefix = start.get(start.position() + 6) == 1 ? 10 : 12;
        byte[] text = new byte[(int) len - prefix];
        start.duplicate().position(start.position() + prefix).get(text);
        String dict = new String(text, start.get(start.position() + 6) == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, dict, source, "descr");
        boolean fortran = find(FORTRAN, dict, source, "fortran_order").equals("True");
        long[] shape = parseShape(find(SHAPE, dict, source, "shape"), source);
        TensorDType type = TensorDType.fromNumpy(descr).orElseThrow(() -> new CheckpointFormatException(source
                + ": unsupported dtype '" + descr + "' (supported: <f4, <f8, <f2, <i8, <i4, <i2, |i1, |u1, |b1;"
                + " big-endian and object arrays are not supported: save with arr.astype('<f4'))"));
        try {
            TensorBytes.elementCount(shape);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new CheckpointFormatException(source + ": invalid shape " + Arrays.toString(shape));
        }
        return new NpyHeader(type.numpyDescr().orElseThrow(), shape, fortran, (int) len);
    }

    private static String find(Pattern p, String header, String source, String key) throws CheckpointFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new CheckpointFormatException(source + ": header has no valid '" + key + "' entry: " + header.strip());
        }
        return m.group(1);
    }

    private static long[] parseShape(String text, String source) throws CheckpointFormatException {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String s = part.strip();
            if (s.endsWith("L")) {
                s = s.substring(0, s.length() - 1); // Python 2 long literals
            }
            if (s.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(s);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new CheckpointFormatException(source + ": invalid shape (" + text + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && h.descr.equals(descr) && Arrays.equals(h.shape, shape)
                && h.fortranOrder == fortranOrder && h.headerBytes == headerBytes;
    }

    @Override
    public int hashCode() {
        return descr.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NpyHeader[" + descr + " " + Arrays.toString(shape) + (fortranOrder ? " fortran" : "") + "]";
    }
}
