package dev.sit.core.io;

/**
 * Something the user supplied (a file, a flag, a setting) is wrong: missing, unreadable, corrupt,
 * of the wrong shape or holding values that cannot be used. The message names the file, flag or
 * setting, says what is wrong in plain words and what to do; the {@code sit} command exits with
 * code 2 for it.
 */
public class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
