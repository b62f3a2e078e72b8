package dev.sit.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves raw little-endian tensor bytes between channels and the native memory of ND4J arrays in
 * bulk, without Java arrays in between (the native byte order of every ND4J backend is
 * little-endian, as in the files).
 */
final class TensorBytes {

    /** Bytes per channel call: large enough to be fast, small enough for a direct buffer window. */
    private static final int WINDOW = 1 << 26;

    private TensorBytes() {
    }

    /** Number of elements of a shape, refusing negative sizes and overflow. */
    static long elementCount(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension " + s);
            }
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /**
     * A new C-order array of {@code type}'s ND4J type and {@code shape}, filled with exactly
     * {@code elementCount(shape) * type.bytes()} bytes read from {@code in}.
     *
     * @throws EOFException if the channel ends first
     */
    static INDArray read(ReadableByteChannel in, TensorDType type, long[] shape) throws IOException {
        INDArray arr = allocate(type.nd4j(), shape);
        long bytes = elementCount(shape) * type.bytes();
        long done = 0;
        while (done < bytes) {
            int len = (int) Math.min(WINDOW, bytes - done);
            ByteBuffer window = window(arr, done, len);
            while (window.hasRemaining()) {
                if (in.read(window) < 0) {
                    throw new EOFException("data ended after " + (done + window.position()) + " of " + bytes
                            + " bytes");
                }
            }
            done += len;
        }
        return arr;
    }

    /** An uninitialised C-order array; shapes with a zero dimension give an empty array. */
    static INDArray allocate(DataType type, long[] shape) {
        for (long s : shape) {
            if (s == 0) {
                return Nd4j.create(type, shape);
            }
        }
        return Nd4j.createUninitialized(type, shape, 'c');
    }

    /** Writes the elements of {@code arr} in C order as little-endian bytes. */
    static void write(WritableByteChannel out, INDArray arr) throws IOException {
        INDArray c = cOrderDense(arr);
        long bytes = c.length() * (long) c.dataType().width();
        long done = 0;
        while (done < bytes) {
            int len = (int) Math.min(WINDOW, bytes - done);
            ByteBuffer window = window(c, done, len);
            while (window.hasRemaining()) {
                out.write(window);
            }
            done += len;
        }
    }

    /** {@code arr} itself if its buffer holds exactly its elements in C order, else a C-order copy. */
    static INDArray cOrderDense(INDArray arr) {
        if (arr.isEmpty()) {
            return arr;
        }
        boolean dense = arr.offset() == 0 && arr.data().length() == arr.length()
                && (arr.rank() <= 1 ? arr.elementWiseStride() == 1 || arr.length() == 1
                        : arr.ordering() == 'c' && Shape.hasDefaultStridesForShape(arr));
        return dense ? arr : arr.dup('c');
    }

    /** A direct byte buffer over bytes {@code [from, from + len)} of the array's native memory. */
    private static ByteBuffer window(INDArray arr, long from, int len) {
        long total = arr.data().length() * (long) arr.dataType().width();
        BytePointer p = new BytePointer(arr.data().addressPointer());
        p.capacity(total).position(from).limit(from + len);
        return p.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
