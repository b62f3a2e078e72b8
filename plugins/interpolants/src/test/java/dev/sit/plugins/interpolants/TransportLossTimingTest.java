package dev.sit.plugins.interpolants;

import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Prints (does not assert) how long the transport's training loss takes for a (256, 4, 32, 32)
 * batch outside the model. Run with {@code -Dsit.timing=true}.
 */
@EnabledIfSystemProperty(named = "sit.timing", matches = "true")
class TransportLossTimingTest {

    @Test
    void timeTheLossOfA256x4x32x32Batch() {
        long[] shape = {256, 4, 32, 32};
        INDArray x1 = Nd4j.randn(DataType.FLOAT, shape);
        INDArray out = Nd4j.randn(DataType.FLOAT, shape);
        for (String prediction : new String[] {"velocity", "score"}) {
            Transport transport = Transport.create(BundledPlugins.path("Linear"), BundledPlugins.target(prediction),
                    BundledPlugins.weight(prediction.equals("velocity") ? "none" : "likelihood"), null, null);
            int rounds = 30;
            double[] draw = new double[rounds];
            double[] loss = new double[rounds];
            for (int i = 0; i < rounds + 5; i++) {
                long a = System.nanoTime();
                TrainingSample s = transport.sampleTraining(x1, i);
                long b = System.nanoTime();
                double l = transport.loss(s, out);
                long c = System.nanoTime();
                if (i >= 5) {
                    draw[i - 5] = (b - a) / 1e6;
                    loss[i - 5] = (c - b) / 1e6;
                }
                if (!Double.isFinite(l)) {
                    throw new AssertionError("loss not finite");
                }
            }
            System.out.printf("TIMING Linear/%s (256,4,32,32): sampleTraining (draw t, x0; build xt, target) median %.1f ms,"
                    + " perSampleLoss+mean median %.1f ms, total median %.1f ms (%d rounds after 5 warm-up)%n",
                    prediction, median(draw), median(loss), median(sum(draw, loss)), rounds);
        }
    }

    static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
