package dev.sit.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** An experiment that cannot run, with every problem found (not just the first). */
public final class ConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        this(problems, true);
    }

    private ConfigException(List<ConfigProblem> problems, boolean sort) {
        this(sort ? sorted(problems) : problems, 0);
    }

    private ConfigException(List<ConfigProblem> problems, int unused) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the experiment:\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** In file order: by source, then line and column. */
    private static List<ConfigProblem> sorted(List<ConfigProblem> problems) {
        return problems.stream()
                .sorted(java.util.Comparator.comparing((ConfigProblem p) -> p.location().source())
                        .thenComparingInt(p -> p.location().line())
                        .thenComparingInt(p -> p.location().column()))
                .toList();
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
