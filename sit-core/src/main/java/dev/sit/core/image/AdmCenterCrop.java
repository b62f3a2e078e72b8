package dev.sit.core.image;

/**
 * ADM's {@code center_crop_arr} (used by SiT's {@code train.py}): while the short side is at
 * least twice the target, halve both sides ({@code size // 2}) with a BOX filter; then resize
 * with BICUBIC so that the short side equals the target (the long side is
 * {@code round(side * target / short)} with Python's round-half-to-even); then cut the
 * centred target x target square (offset {@code (side - target) // 2}).
 * Pixels equal Pillow's bit for bit ({@link PilResampler}).
 */
public final class AdmCenterCrop {

    private AdmCenterCrop() {
    }

    public static Uint8Image apply(Uint8Image image, int imageSize) {
        if (imageSize <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + imageSize);
        }
        Uint8Image im = image;
        while (Math.min(im.width(), im.height()) >= 2 * imageSize) {
            im = PilResampler.resize(im, im.width() / 2, im.height() / 2, PilResampler.Filter.BOX);
        }
        double scale = (double) imageSize / Math.min(im.width(), im.height());
        int w = (int) Math.rint(im.width() * scale);
        int h = (int) Math.rint(im.height() * scale);
        im = PilResampler.resize(im, w, h, PilResampler.Filter.BICUBIC);
        int cropY = Math.floorDiv(im.height() - imageSize, 2);
        int cropX = Math.floorDiv(im.width() - imageSize, 2);
        return im.crop(cropX, cropY, imageSize, imageSize);
    }
}
