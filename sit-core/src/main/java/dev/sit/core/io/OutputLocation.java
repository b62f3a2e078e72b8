package dev.sit.core.io;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Checks, before any work, that an output file named by a flag or setting can be written: its
 * folder exists and is a folder, the folder is writable, and the file is not a folder. A failure
 * is an {@link InvalidInputException} in the words of {@link FileSystemFailure}, so a long
 * computation never ends in "cannot write".
 */
public final class OutputLocation {

    private OutputLocation() {
    }

    /** Refuses {@code file} as an output of {@code setting} (e.g. {@code --out}) if it cannot be written. */
    public static void check(Path file, String setting) {
        Path absolute = file.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new InvalidInputException(setting + " " + file + ": is a folder, but a file is to be written"
                    + " there; give a file name, e.g. " + file.resolve("out" + extension(file)));
        }
        if (folder == null) {
            return;
        }
        java.io.IOException problem = null;
        if (!Files.exists(folder)) {
            Path existing = folder;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            problem = existing != null && !Files.isDirectory(existing)
                    ? new NotDirectoryException(existing.toString())
                    : new NoSuchFileException(folder.toString());
        } else if (!Files.isDirectory(folder)) {
            problem = new NotDirectoryException(folder.toString());
        } else if (!Files.isWritable(folder)) {
            problem = new AccessDeniedException(folder.toString());
        }
        if (problem != null) {
            FileSystemFailure failure = FileSystemFailure.of(problem, setting).orElseThrow();
            throw new InvalidInputException(setting + " " + file + ": " + failure.cause() + "; " + failure.fix(), problem);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot) : "";
    }
}
