package dev.sit.core.image;

/**
 * An 8-bit image with interleaved channels, row by row: the value of channel {@code c} at
 * column {@code x}, row {@code y} is {@code pixels[(y * width + x) * channels + c] & 0xFF}.
 * One channel is gray ({@code L}), three are RGB.
 */
public record Uint8Image(int width, int height, int channels, byte[] pixels) {

    public Uint8Image {
        if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("bad image geometry " + width + "x" + height + "x" + channels);
        }
        if (pixels.length != (long) width * height * channels) {
            throw new IllegalArgumentException("pixel buffer has " + pixels.length + " bytes, expected "
                    + (long) width * height * channels);
        }
    }

    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /** The rectangle at (x0, y0) of the given size, like PIL's {@code crop} inside the image. */
    public Uint8Image crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x0 + "+" + y0
                    + " outside a " + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            System.arraycopy(pixels, ((y0 + y) * width + x0) * channels, out, y * w * channels, w * channels);
        }
        return new Uint8Image(w, h, channels, out);
    }

    /** The image mirrored left to right. */
    public Uint8Image flipHorizontal() {
        byte[] out = new byte[pixels.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                System.arraycopy(pixels, (y * width + x) * channels, out, (y * width + width - 1 - x) * channels, channels);
            }
        }
        return new Uint8Image(width, height, channels, out);
    }
}
