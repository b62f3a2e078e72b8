package dev.sit.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file (format 1.0): element type ({@code descr}, for
 * example {@code <f4}, {@code <i8}, {@code |u1}), shape and C order. {@link #encode()} writes
 * exactly what {@code numpy.save} writes, so a file can be compared byte for byte with
 * NumPy's: the dict in NumPy's key order, 21 - len(repr(shape[0])) spaces of growth room, then
 * spaces up to a multiple of 64 bytes and a newline.
 */
public record NpyHeader(String descr, long[] shape, int headerBytes) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public NpyHeader {
        shape = shape.clone();
    }

    /** A header for a C-order array; its encoded length is computed. */
    public static NpyHeader of(String descr, long... shape) {
        return new NpyHeader(descr, shape, 0).withEncodedLength();
    }

    private NpyHeader withEncodedLength() {
        return new NpyHeader(descr, shape, encode().length);
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes per element, from the descr ({@code <f4} = 4). */
    public int elementBytes() {
        return Integer.parseInt(descr.substring(2));
    }

    /** Bytes of the data after the header. */
    public long dataBytes() {
        return Math.multiplyExact(elementCount(), (long) elementBytes());
    }

    /** Magic, version 1.0, length and the padded dict, exactly as numpy writes them. */
    public byte[] encode() {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': False, 'shape': ").append(shapeRepr()).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length())));
        }
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        if (text.length > 0xFFFF) {
            throw new IllegalArgumentException("npy header too long for format 1.0: " + text.length + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return out.array();
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

    /**
     * Parses a header from the start of a file (at least the first 10 bytes, then the whole
     * header). Versions 1.0, 2.0 and 3.0 are read; Fortran order and big-endian types are
     * rejected with the file named in the message.
     */
    public static NpyHeader parse(ByteBuffer start, String source) throws IOException {
        ByteBuffer b = start.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 10) {
            throw new IOException(source + ": too short for a .npy file");
        }
        byte[] magic = new byte[6];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(source + ": not a .npy file (bad magic)");
        }
        int major = b.get();
        b.get();
        long len;
        int prefix;
        if (major == 1) {
            len = Short.toUnsignedInt(b.getShort());
            prefix = 10;
        } else if (major == 2 || major == 3) {
            len = Integer.toUnsignedLong(b.getInt());
            prefix = 12;
        } else {
            throw new IOException(source + ": unsupported .npy version " + major);
        }
        if (b.remaining() < len) {
            throw new IOException(source + ": truncated .npy header");
        }
        byte[] text = new byte[(int) len];
        b.get(text);
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(dict);
        Matcher f = FORTRAN.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(source + ": cannot read .npy header " + dict.strip());
        }
        if (f.group(1).equals("True")) {
            throw new IOException(source + ": Fortran-order .npy arrays are not supported; save with C order");
        }
        String descr = d.group(1);
        if (descr.startsWith(">")) {
            throw new IOException(source + ": big-endian dtype " + descr + " is not supported");
        }
        if (!descr.matches("[<|=][fiub]\\d+")) {
            throw new IOException(source + ": unsupported dtype " + descr);
        }
        if (descr.startsWith("=")) {
            descr = "<" + descr.substring(1);
        }
        String[] dims = s.group(1).split(",");
        long[] shape = Arrays.stream(dims).map(String::strip).filter(x -> !x.isEmpty())
                .mapToLong(x -> Long.parseLong(x.replace("L", ""))).toArray();
        return new NpyHeader(descr.toLowerCase(Locale.ROOT).replace("<u1", "|u1").replace("<b1", "|b1").replace("<i1", "|i1"),
                shape, prefix + (int) len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && h.descr.equals(descr) && Arrays.equals(h.shape, shape)
                && h.headerBytes == headerBytes;
    }

    @Override
    public int hashCode() {
        return descr.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NpyHeader[" + descr + " " + Arrays.toString(shape) + "]";
    }
}
