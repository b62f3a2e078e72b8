package dev.sit.api.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sit.api.transport.RandomDraws;
import dev.sit.api.transport.TimeSampler;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The time sampler contract passes a correct sampler and catches a wrong CDF and unseeded draws. */
class TimeSamplerContractSelfTest {

    /** {@code t = max(u1, u2)}: {@code F(t) = t^2}, written independently of the bundled plugins. */
    static class MaxOfTwo implements TimeSampler {
        public INDArray sample(long n, RandomDraws draws) {
            return org.nd4j.linalg.ops.transforms.Transforms.max(draws.uniform(n), draws.uniform(n));
        }
        public double cdf(double t) { return Math.min(1, Math.max(0, t)) * Math.min(1, Math.max(0, t)); }
        @Override public String toString() { return "max-of-two"; }
    }

    @Nested
    class MaxOfTwoPasses extends TimeSamplerContract {
        protected TimeSampler sampler() { return new MaxOfTwo(); }
    }

    static TimeSamplerContract contract(TimeSampler s) {
        return new TimeSamplerContract() {
            protected TimeSampler sampler() { return s; }
        };
    }

    @Test
    void drawsThatDisagreeWithTheCdfFail() {
        TimeSampler claimsUniform = new TimeSampler() {
            public INDArray sample(long n, RandomDraws draws) { return new MaxOfTwo().sample(n, draws); }
            public double cdf(double t) { return t; }
        };
        assertThrows(AssertionError.class, contract(claimsUniform)::drawsFollowTheCdf);
    }

    @Test
    void drawsFromAnotherGeneratorFail() {
        TimeSampler unseeded = new TimeSampler() {
            public INDArray sample(long n, RandomDraws draws) { return Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n); }
            public double cdf(double t) { return t; }
        };
        assertThrows(AssertionError.class, contract(unseeded)::theSameSeedGivesTheSameDraws);
    }

    @Test
    void aFalselyUniformSamplerFails() {
        TimeSampler falselyUniform = new MaxOfTwo() {
            @Override public boolean isUniform() { return true; }
        };
        assertThrows(AssertionError.class, contract(falselyUniform)::aUniformSamplerHasTheIdentityCdf);
    }
}
