package dev.sit.core.config;

/** One problem of an experiment: where, which key (dotted path), and what is wrong. */
public record ConfigProblem(SourceLocation location, String key, String message) {

    @Override
    public String toString() {
        return location + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
