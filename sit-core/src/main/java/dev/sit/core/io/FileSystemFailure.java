package dev.sit.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A file-system error in plain words: the path, what is wrong with it and what to do, instead of
 * the bare path that {@link FileSystemException#getMessage()} often is. {@code setting} is the
 * flag or experiment key that named the path ({@code --out}, {@code results_dir}), so the fix can
 * say what to change; without one the message says to change whichever setting names the path.
 *
 * @param path         the path the operation failed on
 * @param cause        what is wrong, in plain words ("permission denied: ...")
 * @param fix          what to do about it
 * @param userCanFix   true when the request itself must change (exit 2); false for a runtime
 *                     failure of a valid request such as a full disk (exit 1)
 */
public record FileSystemFailure(String path, String cause, String fix, boolean userCanFix) {

    /**
     * The plain-words reading of {@code error} if it is a file-system error this class knows
     * (not a directory, permission denied, no space left, file exists, no such file), else empty.
     */
    public static Optional<FileSystemFailure> of(IOException error, String setting) {
        String change = setting == null ? "the flag or setting that names it" : setting;
        String path = pathOf(error);
        String reason = reasonOf(error).toLowerCase(Locale.ROOT);
        if (reason.contains("no space left") || reason.contains("disk quota")) {
            return Optional.of(new FileSystemFailure(path, "no space left on the device",
                    "free some space there, or point " + change + " at a disk with room", false));
        }
        if (reason.contains("read-only file system")) {
            return Optional.of(new FileSystemFailure(path, "permission denied: the file system is mounted read-only",
                    "point " + change + " at a writable location", true));
        }
        if (error instanceof AccessDeniedException || reason.contains("permission denied")) {
            return Optional.of(new FileSystemFailure(path, "permission denied: this user may not "
                    + "read or write there", "fix the permissions (chmod/chown) or point " + change
                    + " at a location you can write", true));
        }
        Optional<Path> blocking = path == null ? Optional.empty() : fileInTheWay(Path.of(path));
        if (error instanceof NotDirectoryException || reason.contains("not a directory") || blocking.isPresent()) {
            String where = blocking.map(p -> p.toString()).orElse(path);
            return Optional.of(new FileSystemFailure(path, "not a directory: " + where
                    + " is a file, but a folder is needed there", "point " + change + " at a folder, or"
                    + " move the file " + where + " out of the way", true));
        }
        if (error instanceof FileAlreadyExistsException) {
            return Optional.of(new FileSystemFailure(path, "file exists: it is in the way of what would be"
                    + " written", "remove or rename it, or choose another " + change, true));
        }
        if (error instanceof NoSuchFileException) {
            return Optional.of(new FileSystemFailure(path, "no such file or folder",
                    "check the spelling of " + change + " (the path is relative to the current folder "
                            + Path.of("").toAbsolutePath() + ")", true));
        }
        return Optional.empty();
    }

    /**
     * {@code error} as the exception the error contract reports: an {@link InvalidInputException}
     * when the request must change, an {@link IllegalStateException} (a runtime failure) when not,
     * both with the plain-words message; {@code error} itself when it is no known file-system error.
     */
    public static Exception translate(IOException error, String setting) {
        return of(error, setting).<Exception>map(f -> f.userCanFix()
                ? new InvalidInputException(f.message(setting), error)
                : new IllegalStateException(f.message(setting), error)).orElse(error);
    }

    /** One line: {@code SETTING PATH: CAUSE; FIX}. */
    public String message(String setting) {
        return (setting == null ? "" : setting + " ") + path + ": " + cause + "; " + fix;
    }

    private static String pathOf(IOException error) {
        if (error instanceof FileSystemException fs && fs.getFile() != null) {
            return fs.getFile();
        }
        return null;
    }

    private static String reasonOf(IOException error) {
        if (error instanceof FileSystemException fs) {
            return fs.getReason() == null ? "" : fs.getReason();
        }
        return error.getMessage() == null ? "" : error.getMessage();
    }

    /**
     * The regular file at {@code path} or at one of its ancestors, which stops {@code path} from
     * being a folder or from having a folder created at it; found by walking up to the first
     * existing path, because {@code createDirectories} reports that case as "file exists".
     */
    private static Optional<Path> fileInTheWay(Path path) {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? Optional.empty() : Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
