package dev.sit.core.io;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Checks of tensors the user hands in ({@code x}, {@code t}, {@code y}, noise, labels, data
 * batches) before any work is done with them: shape, finiteness and label range. A failure is an
 * {@link InvalidInputException} naming the input ({@code what}: the flag and file, e.g.
 * {@code "--t t.npy"}), the index of the first bad value and what the value must be. The scans are
 * ND4J reductions (first-index ops), not Java loops over elements.
 */
public final class InputTensorCheck {

    private InputTensorCheck() {
    }

    /** Every value is a finite number: a NaN or an infinity would silently turn the output into NaNs. */
    public static void requireFinite(INDArray a, String what) {
        requireFinite(a, () -> what);
    }

    /** As {@link #requireFinite(INDArray, String)}, naming the input only when a value is bad. */
    public static void requireFinite(INDArray a, java.util.function.Supplier<String> what) {
        if (a.isEmpty() || !a.dataType().isFPType()) {
            return;
        }
        long first = BooleanIndexing.firstIndex(a.reshape(a.length()), Conditions.notFinite()).getLong(0);
        if (first >= 0) {
            double v = a.reshape(a.length()).getDouble(first);
            throw new InvalidInputException(what.get() + ": value " + (Double.isNaN(v) ? "NaN" : v > 0 ? "+inf" : "-inf")
                    + " at index " + index(a, first) + " (the first of " + count(a) + " non-finite values); every"
                    + " value must be a finite number: fix or regenerate the file");
        }
    }

    /** {@code a} has exactly the shape {@code expected}; {@code meaning} explains the dimensions. */
    public static void requireShape(INDArray a, String what, long[] expected, String meaning) {
        if (!Arrays.equals(a.shape(), expected)) {
            throw new InvalidInputException(what + ": shape " + shape(a.shape()) + ", expected " + shape(expected)
                    + " (" + meaning + "); save the array with that shape");
        }
    }

    /**
     * {@code a} holds integer class labels in {@code [0, rows)} ({@code rows - 1} being the null
     * label when the model has one); labels are printed as integers.
     */
    public static void requireLabels(INDArray a, String what, long rows, String meaning) {
        if (!a.dataType().isIntType()) {
            throw new InvalidInputException(what + ": labels are " + a.dataType().toString().toLowerCase()
                    + " values; class labels must be integers (save them as int64 or int32)");
        }
        if (a.isEmpty()) {
            return;
        }
        INDArray flat = a.reshape(a.length());
        long first = BooleanIndexing.firstIndex(flat, Conditions.lessThan(0)).getLong(0);
        long above = BooleanIndexing.firstIndex(flat, Conditions.greaterThanOrEqual(rows)).getLong(0);
        if (first < 0 || (above >= 0 && above < first)) {
            first = above;
        }
        if (first >= 0) {
            throw new InvalidInputException(what + ": label " + flat.getLong(first) + " at index " + index(a, first)
                    + " is outside [0, " + (rows - 1) + "] (" + meaning + "); use labels in that range");
        }
    }

    private static long count(INDArray a) {
        return a.scan(Conditions.notFinite()).longValue();
    }

    private static String index(INDArray a, long linear) {
        if (a.rank() <= 1) {
            return String.valueOf(linear);
        }
        return shape(Shape.ind2subC(a.shape(), linear));
    }

    /** A shape as numpy prints it: {@code (4, 8)}, {@code (4,)}. */
    static String shape(long[] s) {
        if (s.length == 1) {
            return "(" + s[0] + ",)";
        }
        return Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
