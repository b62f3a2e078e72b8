package dev.sit.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.sampling.NoiseSource;
import dev.sit.api.sampling.SdeSolver;
import dev.sit.api.sampling.VectorField;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What every {@link SdeSolver} plugin must do for {@code dx = f dt + sqrt(2 w) dW}: with zero
 * diffusion it is a consistent deterministic step (exact for a constant drift, error
 * {@code O(dt^2)} for {@code f = -x}); with zero drift it adds exactly
 * {@code sqrt(2 w dt)} times the noise it drew; it draws its noise from the given source, of
 * the state's shape, a fixed number of times per step; it does not modify its input.
 */
public abstract class SdeSolverContract {

    protected abstract SdeSolver solver();

    /** Noise draws per step. */
    protected abstract int drawsPerStep();

    private static INDArray state() {
        return Nd4j.createFromArray(new float[][] {{1.0f, -0.5f, 0.25f}, {1.5f, -1.5f, 0.75f}});
    }

    /** Fixed, recorded draws of whatever shape is asked for. */
    private static final class RecordingNoise implements NoiseSource {
        final List<INDArray> drawn = new ArrayList<>();

        @Override
        public INDArray next(long... shape) {
            // distinct values around zero, different for every draw
            INDArray draw = Nd4j.arange(product(shape)).castTo(DataType.FLOAT).muli(0.37f).subi(1.2f)
                    .addi(drawn.size()).reshape(shape);
            drawn.add(draw.dup());
            return draw;
        }

        private static long product(long[] shape) {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    @Test
    void withoutDiffusionAConstantDriftIsIntegratedExactly() {
        INDArray x = state();
        INDArray a = Nd4j.createFromArray(new float[][] {{0.5f, -2f, 1f}, {0f, 3f, -0.25f}});
        INDArray next = solver().step((y, t) -> a.dup(), t -> 0.0, x, 0.3, 0.05, new RecordingNoise());
        assertClose(next, x.add(a.mul(0.05)), 1e-6, "x + a dt");
    }

    @Test
    void withoutDiffusionALinearDriftIsAConsistentStep() {
        INDArray x = state();
        double dt = 0.01;
        INDArray next = solver().step((y, t) -> y.neg(), t -> 0.0, x, 0.3, dt, new RecordingNoise());
        // any consistent one-step method: |x' - e^-dt x| <= dt^2 |x|
        assertClose(next, x.mul(Math.exp(-dt)), dt * dt, "one step of dx/dt = -x");
    }

    @Test
    void withoutDriftAddsTheScaledNoiseItDrew() {
        INDArray x = state();
        RecordingNoise noise = new RecordingNoise();
        double w = 0.3;
        double dt = 0.04;
        VectorField zero = (y, t) -> Nd4j.zeros(y.dataType(), y.shape());
        INDArray next = solver().step(zero, t -> w, x, 0.5, dt, noise);
        assertThat(noise.drawn).as("noise draws").hasSize(drawsPerStep());
        INDArray total = noise.drawn.stream().reduce(INDArray::add).orElseThrow();
        assertClose(next, x.add(total.mul(Math.sqrt(2 * w * dt))), 1e-6, "x + sqrt(2 w dt) * noise");
    }

    @Test
    void drawsNoiseOfTheStateShape() {
        INDArray x = Nd4j.ones(DataType.FLOAT, 3, 2, 4, 4);
        RecordingNoise noise = new RecordingNoise();
        solver().step((y, t) -> y.neg(), t -> 1.0, x, 0.2, 0.1, noise);
        assertThat(noise.drawn).hasSize(drawsPerStep());
        noise.drawn.forEach(d -> assertThat(d.shape()).isEqualTo(x.shape()));
    }

    @Test
    void leavesTheStateUnchanged() {
        INDArray x = state();
        INDArray copy = x.dup();
        INDArray next = solver().step((y, t) -> y.neg(), t -> 0.5, x, 0.2, 0.1, new RecordingNoise());
        assertThat(x).isEqualTo(copy);
        assertThat(next).isNotSameAs(x);
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double scale = 1 + Transforms.abs(expected.castTo(DataType.DOUBLE)).maxNumber().doubleValue();
        double deviation = Transforms.abs(actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)))
                .maxNumber().doubleValue();
        assertThat(deviation / scale).as(what + ": relative deviation").isLessThanOrEqualTo(tolerance);
    }
}
