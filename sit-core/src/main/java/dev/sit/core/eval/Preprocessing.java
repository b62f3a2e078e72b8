package dev.sit.core.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How 8-bit images (N, H, W, 3) become the FID Inception network's input (N, 299, 299, 3):
 *
 * <pre>
 *   adm          x in [0, 255] -> TF1 resize_bilinear to 299 (legacy coordinates) -> (x - 128) / 128
 *   pytorch-fid  x / 255 -> F.interpolate bilinear, align_corners=False         -> 2 x - 1
 * </pre>
 *
 * {@code adm} is what the SiT paper's numbers come from (ADM's TensorFlow evaluator);
 * {@code pytorch-fid} reproduces pytorch-fid's numbers.
 */
public enum Preprocessing {
    ADM("adm"),
    PYTORCH_FID("pytorch-fid");

    private final String id;

    Preprocessing(String id) {
        this.id = id;
    }

    /** The spelling used on the command line and in YAML. */
    public String id() {
        return id;
    }

    public static Optional<Preprocessing> byId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
    }

    /** The valid spellings, for messages. */
    public static String choices() {
        return String.join(", ", Arrays.stream(values()).map(Preprocessing::id).toList());
    }

    /** The network input for uint8 (or [0, 255]-valued) images (N, H, W, 3). */
    public INDArray apply(INDArray images) {
        if (images.rank() != 4 || images.size(3) != 3) {
            throw new IllegalArgumentException("expected RGB images (N, H, W, 3), got " + Arrays.toString(images.shape()));
        }
        INDArray x = images.castTo(DataType.FLOAT);
        int s = FidInception.SIZE;
        if (this == ADM) {
            return BilinearResize.TF_LEGACY.apply(x, s, s).subi(128f).divi(128f);
        }
        return BilinearResize.HALF_PIXEL.apply(x.div(255f), s, s).muli(2f).subi(1f);
    }
}
