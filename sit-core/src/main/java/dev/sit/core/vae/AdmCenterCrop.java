package dev.sit.core.vae;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The ADM/SiT image preprocessing {@code center_crop_arr}: while the short side is at least twice the target,
 * halve the image with a box filter; then resize (bicubic) so that the short side equals the target, rounding the
 * other side; then crop the centre square ({@code (h - size) / 2} from the top, {@code (w - size) / 2} from the left).
 *
 * <p>Java2D does the resampling: area averaging for the box halvings (PIL's BOX) and Java2D's bicubic for the
 * final resize, which unlike PIL's does not widen its kernel when it shrinks (by less than 2x here), so pixels may
 * differ from PIL's by a few grey levels.
 */
public final class AdmCenterCrop {

    private AdmCenterCrop() {
    }

    /** The {@code size x size} RGB centre crop of {@code image}. */
    public static BufferedImage apply(BufferedImage image, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + size);
        }
        BufferedImage img = toRgb(image);
        while (Math.min(img.getWidth(), img.getHeight()) >= 2 * size) {
            Image half = img.getScaledInstance(img.getWidth() / 2, img.getHeight() / 2, Image.SCALE_AREA_AVERAGING);
            img = draw(half, img.getWidth() / 2, img.getHeight() / 2, null);
        }
        double scale = (double) size / Math.min(img.getWidth(), img.getHeight());
        int w = (int) Math.round(img.getWidth() * scale);
        int h = (int) Math.round(img.getHeight() * scale);
        if (w != img.getWidth() || h != img.getHeight()) {
            img = draw(img, w, h, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        }
        int y = (h - size) / 2;
        int x = (w - size) / 2;
        return draw(img.getSubimage(x, y, size, size), size, size, null);
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        return draw(image, image.getWidth(), image.getHeight(), null);
    }

    private static BufferedImage draw(Image src, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            if (interpolation != null) {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            }
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
