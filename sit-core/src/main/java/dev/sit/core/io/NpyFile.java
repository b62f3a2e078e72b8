package dev.sit.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0): a magic string, a version, a
 * little-endian header length, an ASCII Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (4, 8), }} padded to a multiple of 64
 * bytes, then the raw little-endian data. Reads C and Fortran order; always writes C order.
 * Element types: {@code <f4} (FLOAT), {@code <f8} (DOUBLE), {@code <f2} (HALF), {@code <i8}
 * (LONG), {@code <i4} (INT), {@code <i2}, {@code |i1}, {@code |u1}, {@code |b1}. Object
 * arrays (pickles) and big-endian data are refused.
 */
public final class NpyFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFile() {
    }

    /** Reads an array; the result is always C-ordered, whatever order the file stores. */
    public static INDArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, file, "the preamble");
            pre.flip();
            for (byte b : MAGIC) {
                if (pre.get() != b) {
                    throw CheckpointFormatException.in(file, "not a NumPy .npy file (no \\x93NUMPY magic)");
                }
            }
            int major = pre.get() & 0xff;
            int minor = pre.get() & 0xff;
            long headerLen;
            int headerStart;
            if (major == 1) {
                headerLen = pre.getShort() & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                headerLen = pre.getInt() & 0xffffffffL;
                headerStart = 12;
            } else {
                throw CheckpointFormatException.in(file, "unsupported .npy format version " + major + "." + minor
                        + " (supported: 1.0, 2.0, 3.0)");
            }
            if (headerStart + headerLen > size) {
                throw CheckpointFormatException.in(file, "header length " + headerLen + " runs past the end of the "
                        + size + "-byte file");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.position(headerStart);
            readFully(ch, hb, file, "the header");
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String descr = find(DESCR, header, file, "descr");
            boolean fortran = find(FORTRAN, header, file, "fortran_order").equals("True");
            long[] shape = parseShape(find(SHAPE, header, file, "shape"), file);
            TensorDType type = TensorDType.fromNumpy(descr).orElseThrow(() -> CheckpointFormatException.in(file,
                    "unsupported dtype '" + descr + "' (supported: <f4, <f8, <f2, <i8, <i4, <i2, |i1, |u1, |b1;"
                            + " big-endian and object arrays are not supported: save with arr.astype('<f4'))"));
            long count;
            try {
                count = TensorBytes.elementCount(shape);
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw CheckpointFormatException.in(file, "invalid shape " + java.util.Arrays.toString(shape));
            }
            long dataStart = headerStart + headerLen;
            long expected = count * type.bytes();
            if (size - dataStart < expected) {
                throw CheckpointFormatException.in(file, "shape " + java.util.Arrays.toString(shape) + " of " + descr
                        + " needs " + expected + " data bytes but only " + (size - dataStart) + " follow the header");
            }
            ch.position(dataStart);
            // Fortran order: the bytes are the C-order array of the reversed shape, transposed.
            long[] stored = fortran ? reversed(shape) : shape;
            INDArray arr;
            try {
                arr = TensorBytes.read(ch, type, stored);
            } catch (EOFException e) {
                throw CheckpointFormatException.in(file, "truncated data: " + e.getMessage(), e);
            }
            if (fortran && shape.length > 1) {
                int[] perm = new int[shape.length];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = perm.length - 1 - i;
                }
                arr = arr.permute(perm).dup('c');
            }
            return arr;
        }
    }

    /**
     * Writes {@code arr} in C order (a view or an F-ordered array is copied to C order first).
     * The descriptor follows the array's type: FLOAT {@code <f4}, DOUBLE {@code <f8}, LONG
     * {@code <i8}, INT {@code <i4}, HALF {@code <f2}, SHORT, BYTE, UBYTE, BOOL.
     */
    public static void write(Path file, INDArray arr) throws IOException {
        TensorDType type = TensorDType.of(arr.dataType()).filter(t -> t.numpyDescr().isPresent())
                .orElseThrow(() -> new IllegalArgumentException("cannot write an ND4J " + arr.dataType()
                        + " array as .npy (supported: FLOAT, DOUBLE, HALF, LONG, INT, SHORT, BYTE, UBYTE, BOOL)"));
        StringBuilder dict = new StringBuilder("{'descr': '").append(type.numpyDescr().get())
                .append("', 'fortran_order': False, 'shape': (");
        long[] shape = arr.shape();
        for (int i = 0; i < shape.length; i++) {
            dict.append(shape[i]).append(i == 0 && shape.length == 1 ? "," : (i < shape.length - 1 ? ", " : ""));
        }
        dict.append("), }");
        // Pad with spaces so that the data starts on a 64-byte boundary; the header ends in '\n'.
        int major = dict.length() + 1 + 10 > 0xffff ? 2 : 1;
        int preamble = major == 1 ? 10 : 12;
        int total = preamble + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        dict.append(" ".repeat(padded - total)).append('\n');
        byte[] headerBytes = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer pre = ByteBuffer.allocate(preamble + headerBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            pre.putShort((short) headerBytes.length);
        } else {
            pre.putInt(headerBytes.length);
        }
        pre.put(headerBytes).flip();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (pre.hasRemaining()) {
                ch.write(pre);
            }
            TensorBytes.write(ch, arr);
        }
    }

    private static String find(Pattern p, String header, Path file, String key) throws CheckpointFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw CheckpointFormatException.in(file, "header has no valid '" + key + "' entry: " + header.strip());
        }
        return m.group(1);
    }

    private static long[] parseShape(String text, Path file) throws CheckpointFormatException {
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
                throw CheckpointFormatException.in(file, "invalid shape (" + text + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] reversed(long[] shape) {
        long[] r = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            r[i] = shape[shape.length - 1 - i];
        }
        return r;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, Path file, String what) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw CheckpointFormatException.in(file, "file ends inside " + what);
            }
        }
    }
}
