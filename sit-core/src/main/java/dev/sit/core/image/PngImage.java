package dev.sit.core.image;

import dev.sit.api.logging.LoggedImage;

/** An encoded PNG with its size. */
public record PngImage(byte[] png, int width, int height) {

    /** The image as a logger receives it, under a key such as {@code samples}. */
    public LoggedImage logged(String key, String caption) {
        return new LoggedImage(key, png, width, height, caption);
    }
}
