package dev.sit.plugins.interpolants;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A little-endian C-order .npy file (float32 or float64) read into doubles, as the golden README describes. */
record NpyArray(long[] shape, double[] data) {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static NpyArray read(InputStream in, String name) throws IOException {
        byte[] bytes = in.readAllBytes();
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N') {
            throw new IOException(name + ": not a .npy file (bad magic)");
        }
        int major = bytes[6];
        int headerLength;
        int offset;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buf.getShort(8));
            offset = 10;
        } else {
            headerLength = buf.getInt(8);
            offset = 12;
        }
        String header = new String(bytes, offset, headerLength, StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(name + ": unreadable .npy header " + header);
        }
        if (f.group(1).equals("True")) {
            throw new IOException(name + ": fortran_order arrays are not supported");
        }
        long[] shape = Arrays.stream(s.group(1).split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = Arrays.stream(shape).reduce(1L, (a, b) -> a * b);
        double[] data = new double[Math.toIntExact(count)];
        buf.position(offset + headerLength);
        switch (d.group(1)) {
            case "<f4" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = buf.getFloat();
                }
            }
            case "<f8" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = buf.getDouble();
                }
            }
            default -> throw new IOException(name + ": unsupported dtype " + d.group(1) + " (expected <f4 or <f8)");
        }
        return new NpyArray(shape, data);
    }

    /** The value at a C-order multi-index. */
    double at(int... index) {
        return data[offset(index)];
    }

    /** The C-order offset of the first element of the sub-array at a leading index prefix. */
    int offset(int... prefix) {
        long off = 0;
        long stride = data.length;
        for (int k = 0; k < prefix.length; k++) {
            stride /= shape[k];
            off += prefix[k] * stride;
        }
        return Math.toIntExact(off);
    }

    /** The sub-array at a leading index prefix, as float32 ND4J array of the remaining shape. */
    INDArray subArray(int... prefix) {
        long[] rest = Arrays.copyOfRange(shape, prefix.length, shape.length);
        int n = Math.toIntExact(Arrays.stream(rest).reduce(1L, (a, b) -> a * b));
        int from = offset(prefix);
        double[] values = Arrays.copyOfRange(data, from, from + n);
        return Nd4j.create(values, rest.length == 0 ? new long[] {1} : rest, DataType.DOUBLE).castTo(DataType.FLOAT);
    }

    /** The whole array as float32. */
    INDArray toFloat() {
        return subArray();
    }

    /** The sub-array at a leading index prefix as doubles. */
    double[] slice(int... prefix) {
        long[] rest = Arrays.copyOfRange(shape, prefix.length, shape.length);
        int n = Math.toIntExact(Arrays.stream(rest).reduce(1L, (a, b) -> a * b));
        int from = offset(prefix);
        return Arrays.copyOfRange(data, from, from + n);
    }
}
