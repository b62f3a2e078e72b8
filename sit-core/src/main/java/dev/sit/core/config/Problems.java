package dev.sit.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one experiment against its document, so all are reported at once. */
public final class Problems {

    private final YamlDocument document;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public Problems(YamlDocument document) {
        this.document = document;
    }

    /** A problem with the value at {@code path} ("train/lr"). */
    public void at(String path, String message) {
        problems.add(new ConfigProblem(document.locationOf(path), dotted(path), message));
    }

    /** A problem with the key at {@code path} itself (an unknown key). */
    public void atKey(String path, String message) {
        problems.add(new ConfigProblem(document.keyLocationOf(path), dotted(path), message));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    public List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    public YamlDocument document() {
        return document;
    }

    /** Throws a {@link ConfigException} with everything collected, if anything was. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    static String dotted(String path) {
        return path.replace('/', '.');
    }
}
