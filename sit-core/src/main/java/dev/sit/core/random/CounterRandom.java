package dev.sit.core.random;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A counter-based generator: element {@code i} of the stream {@code (seed, name)} is a pure
 * function of those three, {@code bits(i) = splitmix64(key(seed, name) + (i + 1) * 0x9E3779B97F4A7C15)},
 * so a tensor is the same whatever the thread count, the order tensors are drawn in, or what was
 * drawn before (unlike a stateful generator, whose output depends on everything drawn earlier).
 *
 * <p>Uniform: {@code u = (bits >>> 11) * 2^-53} in [0, 1), scaled to [low, high). Normal
 * (Box-Muller on the pair of counters 2i, 2i+1): {@code z = sqrt(-2 ln(1 - u_{2i})) cos(2 pi u_{2i+1})},
 * then {@code mean + std z}. The distributions are computed in float64 and rounded once to the
 * requested type.
 */
public final class CounterRandom {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;
    private static final int CHUNK = 1 << 20;

    private final long key;

    private CounterRandom(long key) {
        this.key = key;
    }

    /** The stream named {@code name} of {@code seed} (e.g. a parameter's state-dict key). */
    public static CounterRandom stream(long seed, String name) {
        return new CounterRandom(splitMix64(seed * GOLDEN + fnv1a64(name)));
    }

    /** Uniform on [low, high), element {@code i} from counter {@code i}. */
    public INDArray uniform(long[] shape, double low, double high, DataType dtype) {
        return fill(shape, dtype, (buffer, start) -> {
            // the per-element work is integer bit mixing, which ND4J has no op for; each element
            // depends only on its index, so filling in parallel gives the same array every time
            Arrays.parallelSetAll(buffer, i -> unit(start + i));
            return Nd4j.createFromArray(buffer).muli(high - low).addi(low);
        });
    }

    /** Normal with the given mean and standard deviation (Box-Muller, see the class comment). */
    public INDArray normal(long[] shape, double mean, double std, DataType dtype) {
        return fill(shape, dtype, (buffer, start) -> {
            Arrays.parallelSetAll(buffer, i -> 1.0 - unit(2 * (start + i)));   // in (0, 1]: the logarithm stays finite
            INDArray radius = Transforms.sqrt(Transforms.log(Nd4j.createFromArray(buffer), false).muli(-2.0), false);
            Arrays.parallelSetAll(buffer, i -> unit(2 * (start + i) + 1));
            INDArray angle = Transforms.cos(Nd4j.createFromArray(buffer).muli(2 * Math.PI), false);
            radius.muli(angle).muli(std).addi(mean);
            angle.close();
            return radius;
        });
    }

    /** Makes float64 values of elements [start, start + buffer.length) from a scratch buffer. */
    @FunctionalInterface
    private interface Chunk {
        INDArray values(double[] buffer, long start);
    }

    /**
     * Fills a new array chunk by chunk: the Java heap holds one chunk's scratch buffer (8 MB), not
     * a float64 copy of the whole tensor (an XL/2 initialisation would leave 5.4 GB of garbage).
     */
    private static INDArray fill(long[] shape, DataType dtype, Chunk chunk) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        INDArray out = Nd4j.createUninitialized(dtype, n);
        double[] buffer = new double[(int) Math.min(n, CHUNK)];
        for (long start = 0; start < n; start += CHUNK) {
            int len = (int) Math.min(CHUNK, n - start);
            double[] b = len == buffer.length ? buffer : new double[len];
            INDArray values = chunk.values(b, start);
            INDArray typed = values.castTo(dtype);
            out.get(NDArrayIndex.interval(start, start + len)).assign(typed);
            // freed now: left to the garbage collector, an XL/2 initialisation's chunks pile up to GBs
            if (typed != values) {
                typed.close();
            }
            values.close();
        }
        return out.reshape(shape);
    }

    /** The 64 random bits at a counter. */
    public long bits(long counter) {
        return splitMix64(key + (counter + 1) * GOLDEN);
    }

    private double unit(long counter) {
        return (bits(counter) >>> 11) * TWO_POW_MINUS_53;
    }

    /** SplitMix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mixer. */
    static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the UTF-8 bytes: the name's 64-bit part of the key. */
    static long fnv1a64(String name) {
        long h = 0xCBF29CE484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}
