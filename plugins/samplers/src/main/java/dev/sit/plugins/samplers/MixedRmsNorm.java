package dev.sit.plugins.samplers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * torchdiffeq's error norm, in float64: the RMS over the WHOLE tensor of each state part (all
 * samples of the batch at once), and for tuple states the largest of the parts' RMS values.
 */
final class MixedRmsNorm {

    private MixedRmsNorm() {
    }

    /** {@code max_p rms(numerator_p / scale_p)}, both in float64. */
    static double of(INDArray[] numerator, INDArray[] scale) {
        double norm = 0;
        for (int p = 0; p < numerator.length; p++) {
            norm = Math.max(norm, rms(numerator[p].castTo(DataType.DOUBLE).divi(scale[p])));
        }
        return norm;
    }

    /** The tolerance scale {@code atol + rtol * |y|} (float64) of each part. */
    static INDArray[] scale(INDArray[] y, double atol, double rtol) {
        INDArray[] out = new INDArray[y.length];
        for (int p = 0; p < y.length; p++) {
            out[p] = Transforms.abs(y[p].castTo(DataType.DOUBLE), false).muli(rtol).addi(atol);
        }
        return out;
    }

    /** The tolerance scale {@code atol + rtol * max(|y0|, |y1|)} (float64) of each part. */
    static INDArray[] scale(INDArray[] y0, INDArray[] y1, double atol, double rtol) {
        INDArray[] out = new INDArray[y0.length];
        for (int p = 0; p < y0.length; p++) {
            INDArray larger = Transforms.max(Transforms.abs(y0[p], true), Transforms.abs(y1[p], true), false);
            out[p] = larger.castTo(DataType.DOUBLE).muli(rtol).addi(atol);
        }
        return out;
    }

    private static double rms(INDArray values) {
        long n = values.length();
        if (n == 0) {
            return 0;
        }
        // torchdiffeq: tensor.abs().pow(2).mean().sqrt(); NaN propagates.
        double sumOfSquares = values.mul(values).sumNumber().doubleValue();
        return Math.sqrt(sumOfSquares / n);
    }
}
