package dev.sit.core.sampling;

import dev.sit.api.sampling.NoiseSource;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.BitwiseAnd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.BitwiseXor;
import org.nd4j.linalg.api.ops.impl.transforms.custom.RShiftBits;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Standard normal noise keyed by (seed, purpose, global sample index, draw): sample {@code i}'s
 * noise is a pure function of those numbers, so a batch of samples {@code [first, first + n)}
 * holds exactly the rows that any other batching (or any other process) of the same indices
 * would hold. Sharded sampling depends on it: the images do not depend on the batch size, the
 * partitions, or the executor.
 *
 * <p>It is a counter-based generator (SplitMix64 over a counter, then Box-Muller), computed with
 * ND4J integer ops on whole arrays; it does not use ND4J's stateful {@code Random}, whose seeded
 * Gaussian draws were not reproducible from run to run. Element {@code e} of sample {@code i} at
 * draw {@code k} is {@code sqrt(-2 ln u1) cos(2 pi u2)} with {@code u1}, {@code u2} the 53-bit
 * uniforms of {@code splitmix64(key + (2e + 1) gamma)} and {@code splitmix64(key + (2e + 2) gamma)},
 * {@code key = mix(mix(seed, i, purpose), k)}.
 */
public final class IndexedNoise {

    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final long MIX1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX2 = 0x94D049BB133111EBL;
    private static final double TWO_POW_53 = 0x1.0p-53;

    private IndexedNoise() {
    }

    /**
     * Float32 N(0, 1) noise of shape {@code (count, sampleShape...)} whose row {@code j} depends only
     * on (seed, purpose, {@code first + j}, draw).
     */
    public static INDArray rows(long seed, long purpose, long first, int count, long draw, long... sampleShape) {
        long perSample = 1;
        for (long d : sampleShape) {
            perSample *= d;
        }
        long[] keys = new long[count];
        for (int j = 0; j < count; j++) {
            keys[j] = mix(mix(seed, first + j, purpose), draw, 0);
        }
        // counters (count, 2 * perSample): key_j + c * gamma for c = 1 .. 2 * perSample
        INDArray c = Nd4j.arange(1, 2 * perSample + 1).castTo(DataType.LONG).reshape(1, 2 * perSample).muli(scalar(GAMMA));
        INDArray state = c.repeat(0, count).addiColumnVector(Nd4j.createFromArray(keys).reshape(count, 1));
        INDArray bits = splitMix64(state);
        // the top 53 bits as uniforms in (0, 1]: (m + 1) 2^-53, so the log below is finite
        INDArray mantissa = and(Nd4j.exec(new RShiftBits(bits, scalar(11)))[0], (1L << 53) - 1).castTo(DataType.DOUBLE);
        INDArray u = mantissa.addi(1.0).muli(TWO_POW_53).reshape(count, perSample, 2);
        INDArray u1 = u.slice(0, 2);
        INDArray u2 = u.slice(1, 2);
        INDArray radius = Transforms.sqrt(Transforms.log(u1, true).muli(-2.0), false);
        INDArray angle = Transforms.cos(u2.mul(2 * Math.PI), false);
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = count;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return radius.muli(angle).castTo(DataType.FLOAT).reshape('c', shape);
    }

    /**
     * The SDE noise of samples {@code [first, first + count)}: the {@code k}-th call of {@link NoiseSource#next}
     * is draw {@code k} of every sample, so a sample's noise path is the same in any batch.
     */
    public static NoiseSource source(long seed, long purpose, long first, int count) {
        return new NoiseSource() {
            private long draw;

            @Override
            public synchronized INDArray next(long... shape) {
                if (shape.length == 0 || shape[0] != count) {
                    throw new IllegalArgumentException("noise of samples " + first + ".." + (first + count - 1)
                            + " has " + count + " rows; asked for shape " + Arrays.toString(shape));
                }
                return rows(seed, purpose, first, count, draw++, Arrays.copyOfRange(shape, 1, shape.length));
            }
        };
    }

    /** SplitMix64's finaliser on every element (64-bit wrap-around arithmetic). */
    private static INDArray splitMix64(INDArray z) {
        z = Nd4j.exec(new BitwiseXor(z, shiftRight(z, 30)))[0].muli(scalar(MIX1));
        z = Nd4j.exec(new BitwiseXor(z, shiftRight(z, 27)))[0].muli(scalar(MIX2));
        return Nd4j.exec(new BitwiseXor(z, shiftRight(z, 31)))[0];
    }

    /** Logical (unsigned) right shift: ND4J's shift of a signed long is arithmetic, so mask the sign copies off. */
    private static INDArray shiftRight(INDArray z, int bits) {
        return and(Nd4j.exec(new RShiftBits(z, scalar(bits)))[0], -1L >>> bits);
    }

    private static INDArray and(INDArray z, long mask) {
        return Nd4j.exec(new BitwiseAnd(z, Nd4j.valueArrayOf(z.shape(), mask, DataType.LONG)))[0];
    }

    private static INDArray scalar(long v) {
        return Nd4j.scalar(DataType.LONG, v);
    }

    /** A well-mixed 64-bit value of three inputs (as {@code StepSeeds}). */
    static long mix(long a, long b, long c) {
        long z = a * GAMMA + b;
        z = (z ^ (z >>> 30)) * MIX1 + c;
        z = (z ^ (z >>> 27)) * MIX2;
        return z ^ (z >>> 31);
    }

    /** The scalar reference of element {@code e}'s value for one key (for tests). */
    static double reference(long key, long e) {
        double u1 = ((splitMix64(key + (2 * e + 1) * GAMMA) >>> 11) + 1) * TWO_POW_53;
        double u2 = ((splitMix64(key + (2 * e + 2) * GAMMA) >>> 11) + 1) * TWO_POW_53;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static long key(long seed, long purpose, long index, long draw) {
        return mix(mix(seed, index, purpose), draw, 0);
    }

    private static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * MIX1;
        z = (z ^ (z >>> 27)) * MIX2;
        return z ^ (z >>> 31);
    }
}
