package dev.sit.core.image;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 8-bit images as the float batch the models and the VAE take: {@code (N, C, H, W)} with
 * {@code x = u8 / 127.5 - 1} in [-1, 1], the reference's {@code ToTensor()} then
 * {@code Normalize(mean=0.5, std=0.5)}.
 */
public final class ImageBatch {

    private ImageBatch() {
    }

    /** The images (all of one width, height and channel count) as {@code (N, C, H, W)} float32 in [-1, 1]. */
    public static INDArray toTensor(List<Uint8Image> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to put in a batch");
        }
        Uint8Image first = images.get(0);
        int w = first.width();
        int h = first.height();
        int c = first.channels();
        int each = w * h * c;
        float[] nhwc = new float[images.size() * each];
        for (int k = 0; k < images.size(); k++) {
            Uint8Image im = images.get(k);
            if (im.width() != w || im.height() != h || im.channels() != c) {
                throw new IllegalArgumentException("image " + k + " is " + im.width() + "x" + im.height() + "x"
                        + im.channels() + ", image 0 is " + w + "x" + h + "x" + c + ": a batch needs one size");
            }
            byte[] px = im.pixels();
            for (int i = 0; i < each; i++) {
                nhwc[k * each + i] = px[i] & 0xFF;   // unsigned bytes: the file-format boundary
            }
        }
        return Nd4j.create(nhwc, new long[] {images.size(), h, w, c}, 'c').permute(0, 3, 1, 2).dup('c')
                .divi(127.5).subi(1.0);
    }

    /** One image as a batch of one, {@code (1, C, H, W)}. */
    public static INDArray toTensor(Uint8Image image) {
        return toTensor(Arrays.asList(image));
    }
}
