package dev.sit.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tensor or checkpoint file is malformed, truncated, inconsistent or uses a feature this
 * reader refuses (for example a pickle global outside the allowed set). The message names the
 * file, the offending entry and the numbers involved.
 */
public class CheckpointFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A message prefixed with the file it is about. */
    static CheckpointFormatException in(Path file, String message) {
        return new CheckpointFormatException(file + ": " + message);
    }

    static CheckpointFormatException in(Path file, String message, Throwable cause) {
        return new CheckpointFormatException(file + ": " + message, cause);
    }
}
