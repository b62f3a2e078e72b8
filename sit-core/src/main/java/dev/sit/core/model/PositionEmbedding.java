package dev.sit.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The fixed 2-D sin-cos position embedding of MAE ({@code get_2d_sincos_pos_embed}) that the
 * reference stores as {@code pos_embed} (1, T, D). For token {@code n = row * G + col} the first D/2
 * channels encode the column (the w-first meshgrid component) and the last D/2 the row; each half
 * is {@code [sin(pos * omega), cos(pos * omega)]} with {@code omega_k = 1 / 10000^(k / (D/4))},
 * computed in float64 and rounded to the requested type.
 */
public final class PositionEmbedding {

    private PositionEmbedding() {
    }

    /** The table (1, G*G, D) for a G x G token grid. */
    public static INDArray table(int hiddenSize, int gridSize, DataType dtype) {
        if (hiddenSize % 4 != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " must be divisible by 4");
        }
        int quarter = hiddenSize / 4;
        INDArray omega = Nd4j.arange(0, quarter).castTo(DataType.DOUBLE).divi(quarter);
        omega = Transforms.pow(Nd4j.scalar(10000.0).broadcast(1, quarter), omega.reshape(1, quarter), false).rdivi(1.0);
        INDArray coord = Nd4j.arange(0, gridSize).castTo(DataType.DOUBLE).reshape(gridSize, 1);
        INDArray ones = Nd4j.ones(DataType.DOUBLE, gridSize, 1);
        // token n = row * G + col: col varies fastest, row slowest
        INDArray col = ones.mmul(coord.transpose()).reshape(gridSize * gridSize, 1);
        INDArray row = coord.mmul(ones.transpose()).reshape(gridSize * gridSize, 1);
        INDArray table = Nd4j.concat(1, halfTable(col.mmul(omega)), halfTable(row.mmul(omega)));
        return table.reshape(1, (long) gridSize * gridSize, hiddenSize).castTo(dtype);
    }

    private static INDArray halfTable(INDArray angles) {
        return Nd4j.concat(1, Transforms.sin(angles, true), Transforms.cos(angles, true));
    }
}
