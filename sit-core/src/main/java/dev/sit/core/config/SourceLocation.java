package dev.sit.core.config;

/** Where a value was written: a file with line and column (1-based), or a command-line override. */
public record SourceLocation(String source, int line, int column) {

    public static SourceLocation override(String assignment) {
        return new SourceLocation("--set " + assignment, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
