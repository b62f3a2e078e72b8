package dev.sit.api;

/** The options record of a plugin that takes none: an options block must be empty. */
public record NoOptions() {
}
