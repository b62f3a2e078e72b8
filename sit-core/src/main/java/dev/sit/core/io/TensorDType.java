package dev.sit.core.io;

import java.util.Locale;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Element types that tensor files store, with their little-endian byte width, their names in
 * safetensors headers and NumPy descriptors, and the ND4J type they are stored in.
 */
public enum TensorDType {
    F64(DataType.DOUBLE, 8, "F64", "<f8"),
    F32(DataType.FLOAT, 4, "F32", "<f4"),
    F16(DataType.HALF, 2, "F16", "<f2"),
    BF16(DataType.BFLOAT16, 2, "BF16", null),
    I64(DataType.LONG, 8, "I64", "<i8"),
    I32(DataType.INT, 4, "I32", "<i4"),
    I16(DataType.SHORT, 2, "I16", "<i2"),
    I8(DataType.BYTE, 1, "I8", "|i1"),
    U8(DataType.UBYTE, 1, "U8", "|u1"),
    BOOL(DataType.BOOL, 1, "BOOL", "|b1");

    private final DataType nd4j;
    private final int bytes;
    private final String safetensorsName;
    private final String numpyDescr;

    TensorDType(DataType nd4j, int bytes, String safetensorsName, String numpyDescr) {
        this.nd4j = nd4j;
        this.bytes = bytes;
        this.safetensorsName = safetensorsName;
        this.numpyDescr = numpyDescr;
    }

    /** The ND4J type the raw bytes are laid into (HALF/BFLOAT16 for the 16-bit floats). */
    public DataType nd4j() {
        return nd4j;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The dtype string of a safetensors header, e.g. {@code F32}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** The little-endian NumPy descriptor, e.g. {@code <f4}; empty where NumPy has none (BF16). */
    public Optional<String> numpyDescr() {
        return Optional.ofNullable(numpyDescr);
    }

    /** The type of an ND4J array, or empty if no tensor file type stores it. */
    public static Optional<TensorDType> of(DataType type) {
        for (TensorDType t : values()) {
            if (t.nd4j == type) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The type named in a safetensors header, or empty if unknown. */
    public static Optional<TensorDType> fromSafetensors(String name) {
        for (TensorDType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The type of a NumPy descriptor. {@code <} and {@code =} (this machine is little-endian)
     * are accepted for multi-byte types, {@code |}, {@code <} and {@code =} for single bytes.
     */
    public static Optional<TensorDType> fromNumpy(String descr) {
        if (descr.length() < 2) {
            return Optional.empty();
        }
        char order = descr.charAt(0);
        String kind = descr.substring(1).toLowerCase(Locale.ROOT);
        for (TensorDType t : values()) {
            if (t.numpyDescr == null || !t.numpyDescr.substring(1).equals(kind)) {
                continue;
            }
            boolean ok = t.bytes == 1 ? (order == '|' || order == '<' || order == '=')
                    : (order == '<' || order == '=');
            return ok ? Optional.of(t) : Optional.empty();
        }
        return Optional.empty();
    }
}
