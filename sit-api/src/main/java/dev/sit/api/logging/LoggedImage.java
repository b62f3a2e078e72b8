package dev.sit.api.logging;

import java.util.Objects;

/**
 * A PNG image under a key (for example {@code samples}), with its size in pixels and an optional
 * caption (null when none).
 */
public record LoggedImage(String key, byte[] png, int width, int height, String caption) {

    public LoggedImage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(png, "png");
        if (key.isBlank()) {
            throw new IllegalArgumentException("an image key must not be blank");
        }
    }

    /** Key, size and byte count only: the PNG bytes are not worth printing. */
    @Override
    public String toString() {
        return "LoggedImage[" + key + ", " + width + "x" + height + ", " + png.length + " bytes"
                + (caption == null ? "" : ", caption=" + caption) + "]";
    }
}
