package dev.sit.core.image;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How float images in [-1, 1] become uint8, as the two places of the reference do it. Both
 * truncate toward zero after clamping (PyTorch's float-to-uint8 cast); NaN becomes 0.
 */
public enum Quantization {

    /**
     * {@code sample_ddp.py}'s mass samples for evaluation:
     * {@code clamp(127.5 x + 128, 0, 255)} then truncation. Note the +128 (not 127.5):
     * x = -1 gives 0, x = 0 gives 128, x = 1 gives 255.
     */
    ADM_SAMPLES {
        @Override
        INDArray scaled(INDArray x) {
            return x.castTo(DataType.FLOAT).mul(127.5).addi(128.0);
        }
    },

    /**
     * torchvision {@code save_image(x, normalize=True, value_range=(-1, 1))} (the reference's
     * sample grids): {@code floor(clamp(255 (clamp(x, -1, 1) + 1) / 2 + 0.5, 0, 255))}, which is
     * diffusers' {@code round(clamp((x + 1) / 2, 0, 1) * 255)} too ({@code sit vae decode}'s PNGs).
     */
    SAVE_IMAGE {
        @Override
        INDArray scaled(INDArray x) {
            INDArray c = Transforms.min(Transforms.max(x.castTo(DataType.FLOAT), -1.0, true), 1.0, false);
            return c.addi(1.0).divi(2.0).muli(255.0).addi(0.5);
        }
    };

    abstract INDArray scaled(INDArray x);

    /**
     * The batch (N, C, H, W) as a uint8 array (N, H, W, C): the same values as {@link #toNhwc},
     * computed in ND4J ops (floor equals truncation once the values are clamped to [0, 255]).
     */
    public INDArray toNhwcArray(INDArray batch) {
        if (batch.rank() != 4) {
            throw new IllegalArgumentException("expected images (N, C, H, W), got shape "
                    + java.util.Arrays.toString(batch.shape()));
        }
        INDArray v = Transforms.min(Transforms.max(scaled(batch), 0.0, false), 255.0, false);
        return Transforms.floor(v, false).permute(0, 2, 3, 1).dup('c').castTo(DataType.UBYTE);
    }

    /**
     * The batch (N, C, H, W) as uint8 bytes in (N, H, W, C) order, the layout of PNG rows and
     * of the evaluation {@code .npz}.
     */
    public byte[] toNhwc(INDArray batch) {
        if (batch.rank() != 4) {
            throw new IllegalArgumentException("expected images (N, C, H, W), got shape "
                    + java.util.Arrays.toString(batch.shape()));
        }
        INDArray v = Transforms.min(Transforms.max(scaled(batch), 0.0, false), 255.0, false);
        float[] f = v.permute(0, 2, 3, 1).dup('c').data().asFloat();
        byte[] out = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (byte) (int) f[i]; // (int) truncates, and maps NaN to 0
        }
        return out;
    }
}
