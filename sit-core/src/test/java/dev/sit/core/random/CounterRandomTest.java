package dev.sit.core.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CounterRandomTest {

    private static final long[] SHAPE = {400, 500};

    @Test
    void bitsAreSplitMix64OfTheCounter() {
        // SplitMix64 from state 0: its first output is 0xE220A8397B1DCDAF (Vigna's reference code)
        assertThat(CounterRandom.splitMix64(0x9E3779B97F4A7C15L)).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(CounterRandom.splitMix64(2 * 0x9E3779B97F4A7C15L)).isEqualTo(0x6E789E6AA1B965F4L);
    }

    @Test
    void aStreamIsAPureFunctionOfSeedNameAndIndex() {
        INDArray a = CounterRandom.stream(3, "blocks.0.attn.qkv.weight").uniform(SHAPE, -1, 1, DataType.FLOAT);
        CounterRandom.stream(3, "other").normal(new long[] {1000}, 0, 1, DataType.FLOAT);   // draws in between change nothing
        INDArray b = CounterRandom.stream(3, "blocks.0.attn.qkv.weight").uniform(SHAPE, -1, 1, DataType.FLOAT);
        assertThat(b).isEqualTo(a);
        // element i is the same whatever the tensor's shape: a prefix of a longer draw
        INDArray flat = CounterRandom.stream(3, "blocks.0.attn.qkv.weight").uniform(new long[] {10}, -1, 1, DataType.FLOAT);
        assertThat(flat).isEqualTo(a.reshape(-1).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10)));
        assertThat(CounterRandom.stream(4, "blocks.0.attn.qkv.weight").uniform(SHAPE, -1, 1, DataType.FLOAT)).isNotEqualTo(a);
        assertThat(CounterRandom.stream(3, "blocks.1.attn.qkv.weight").uniform(SHAPE, -1, 1, DataType.FLOAT)).isNotEqualTo(a);
    }

    @Test
    void uniformHasTheMomentsOfUniformLowHigh() {
        INDArray u = CounterRandom.stream(1, "u").uniform(SHAPE, -0.3, 0.5, DataType.DOUBLE);
        double n = u.length();
        assertThat(u.minNumber().doubleValue()).isGreaterThanOrEqualTo(-0.3);
        assertThat(u.maxNumber().doubleValue()).isLessThan(0.5);
        // mean 0.1 and variance 0.8^2/12; 200k draws: standard error of the mean 0.23/sqrt(n) ~ 5e-4
        assertThat(u.meanNumber().doubleValue()).isCloseTo(0.1, within(5 * 0.8 / Math.sqrt(12 * n)));
        assertThat(u.varNumber().doubleValue()).isCloseTo(0.64 / 12, within(0.01 * 0.64 / 12));
        // no bias across the range: each tenth holds 10% of the draws (binomial sd 0.067%)
        for (int k = 0; k < 10; k++) {
            double lo = -0.3 + 0.08 * k;
            double frac = u.gte(lo).castTo(DataType.INT32).mul(u.lt(lo + 0.08).castTo(DataType.INT32)).sumNumber().doubleValue() / n;
            assertThat(frac).as("tenth %d", k).isCloseTo(0.1, within(0.004));
        }
    }

    @Test
    void normalHasTheMomentsOfAGaussian() {
        INDArray z = CounterRandom.stream(2, "z").normal(SHAPE, 0.5, 0.02, DataType.DOUBLE);
        INDArray s = z.sub(0.5).divi(0.02);
        double n = s.length();
        assertThat(s.meanNumber().doubleValue()).isCloseTo(0, within(5 / Math.sqrt(n)));
        assertThat(s.stdNumber().doubleValue()).isCloseTo(1, within(0.01));
        // skewness 0, kurtosis 3, and P(|z| < 1) = 0.6827
        assertThat(s.mul(s).muli(s).meanNumber().doubleValue()).isCloseTo(0, within(0.03));
        assertThat(s.mul(s).muli(s).muli(s).meanNumber().doubleValue()).isCloseTo(3, within(0.06));
        double inside = org.nd4j.linalg.ops.transforms.Transforms.abs(s).lt(1.0).castTo(DataType.INT32).sumNumber().doubleValue() / n;
        assertThat(inside).isCloseTo(0.682689, within(0.005));
    }

    @Test
    void tensorsLongerThanOneChunkContinueTheSameCounter() {
        // 3 x 2^20 + 5 elements: filled in four chunks; element i must still come from counter i
        long n = 3L * (1 << 20) + 5;
        INDArray u = CounterRandom.stream(9, "long").uniform(new long[] {n}, 0, 1, DataType.DOUBLE);
        CounterRandom r = CounterRandom.stream(9, "long");
        for (long i : new long[] {0, (1 << 20) - 1, 1 << 20, 2L * (1 << 20) + 7, n - 1}) {
            assertThat(u.getDouble(i)).as("element %d", i).isEqualTo((r.bits(i) >>> 11) * 0x1.0p-53);
        }
        INDArray z = CounterRandom.stream(9, "long").normal(new long[] {n}, 0, 1, DataType.DOUBLE);
        long i = 2L * (1 << 20) + 7;
        double u1 = 1.0 - (r.bits(2 * i) >>> 11) * 0x1.0p-53;
        double u2 = (r.bits(2 * i + 1) >>> 11) * 0x1.0p-53;
        assertThat(z.getDouble(i)).isCloseTo(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2), within(1e-12));
    }
}
