package dev.sit.api.logging;

/** A PNG image under a key (for example {@code samples}), with its size and an optional caption. */
public record LoggedImage(String key, byte[] png, int width, int height, String caption) {
}
