package dev.sit.plugins.samplers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Arithmetic on ODE states that are tuples of tensors (torchdiffeq's tuple states), part by part,
 * in the parts' own dtype (float32 for samplers). Scalars are float32 so that each operation
 * rounds like the reference's float32 tensor arithmetic.
 */
final class StateTuple {

    private StateTuple() {
    }

    /** {@code y + a * x}, new arrays. */
    static INDArray[] plusScaled(INDArray[] y, float a, INDArray[] x) {
        INDArray[] out = new INDArray[y.length];
        for (int p = 0; p < y.length; p++) {
            out[p] = y[p].add(x[p].mul(a));
        }
        return out;
    }

    /** {@code y + x}, new arrays. */
    static INDArray[] plus(INDArray[] y, INDArray[] x) {
        INDArray[] out = new INDArray[y.length];
        for (int p = 0; p < y.length; p++) {
            out[p] = y[p].add(x[p]);
        }
        return out;
    }

    /** {@code a * x}, new arrays. */
    static INDArray[] scaled(float a, INDArray[] x) {
        INDArray[] out = new INDArray[x.length];
        for (int p = 0; p < x.length; p++) {
            out[p] = x[p].mul(a);
        }
        return out;
    }

    /**
     * {@code sum_j coefficients[j] * ks[j]} over the first {@code count} stages (torchdiffeq's
     * {@code torch.sum(k * coefficients, dim=-1)}), new arrays. Zero coefficients are kept so that
     * non-finite stages propagate as in the reference.
     */
    static INDArray[] weightedSum(INDArray[][] ks, float[] coefficients, int count) {
        int parts = ks[0].length;
        INDArray[] out = new INDArray[parts];
        for (int p = 0; p < parts; p++) {
            INDArray acc = ks[0][p].mul(coefficients[0]);
            for (int j = 1; j < count; j++) {
                acc.addi(ks[j][p].mul(coefficients[j]));
            }
            out[p] = acc;
        }
        return out;
    }

    /** {@code -x}, new arrays. */
    static INDArray[] negated(INDArray[] x) {
        INDArray[] out = new INDArray[x.length];
        for (int p = 0; p < x.length; p++) {
            out[p] = x[p].neg();
        }
        return out;
    }

    /** True when every element of every part is finite. */
    static boolean allFinite(INDArray[] x) {
        for (INDArray part : x) {
            if (part.length() > 0 && !BooleanIndexing.and(part, Conditions.isFinite())) {
                return false;
            }
        }
        return true;
    }

    /** Independent copies. */
    static INDArray[] copy(INDArray[] x) {
        INDArray[] out = new INDArray[x.length];
        for (int p = 0; p < x.length; p++) {
            out[p] = x[p].dup();
        }
        return out;
    }
}
