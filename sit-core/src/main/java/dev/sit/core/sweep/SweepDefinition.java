package dev.sit.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.core.config.ConfigException;
import dev.sit.core.config.ConfigProblem;
import dev.sit.core.config.Problems;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.plugin.ClosestName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A sweep file: a base experiment, overrides shared by every run ({@code set:}), and the variants,
 * either the cartesian product of a {@code grid:} (each key a list of values; the last key varies
 * fastest) or an explicit {@code runs:} list of override sets; the {@code metric} that compares them
 * (a key of the run's {@code eval.json} or of its last logged training scalars) and whether lower or
 * higher is better ({@code goal}).
 *
 * <pre>{@code
 * name: paths-by-time
 * base: quickstart.yaml            # relative to this file
 * set: {train.max_steps: 300}
 * grid:
 *   transport.path: [Linear, GVP]
 *   transport.time_sampler: [uniform, logit-normal]
 * metric: loss
 * }</pre>
 *
 * @param file       the sweep file
 * @param name       the sweep's name: its folder {@code <results_dir>/<name>/} and its W&B group
 * @param base       the base experiment file
 * @param shared     the {@code set:} overrides of every run
 * @param variants   the combinations, in order, with unique labels
 * @param metric     the compared scalar
 * @param maximize   true when higher is better
 * @param resultsDir the folder that holds the sweep folder
 */
public record SweepDefinition(Path file, String name, Path base, List<SweepAssignment> shared, List<SweepVariant> variants,
                              String metric, boolean maximize, Path resultsDir) {

    private static final List<String> KEYS = List.of("name", "base", "set", "grid", "runs", "metric", "goal", "results_dir");

    public SweepDefinition {
        shared = List.copyOf(shared);
        variants = List.copyOf(variants);
    }

    /** The folder of this sweep: run folders, per-run summaries and the reports. */
    public Path folder() {
        return resultsDir.resolve(name);
    }

    /** The experiment keys the variants differ in, in first-seen order (the table's columns). */
    public List<String> sweptKeys() {
        List<String> keys = new ArrayList<>();
        for (SweepVariant v : variants) {
            for (SweepAssignment a : v.assignments()) {
                if (!keys.contains(a.key())) {
                    keys.add(a.key());
                }
            }
        }
        return keys;
    }

    /** True for a sweep file: it names a {@code base:} experiment (an experiment has no such key). */
    public static boolean isSweep(YamlDocument document) {
        return document.root().has("base");
    }

    /**
     * A sweep file as read: its problems, and the sweep as far as it could be made out (null unless the
     * base exists and there are variants), whose variants can be checked even when, say, {@code goal:} is wrong.
     */
    public record Parsed(SweepDefinition definition, List<ConfigProblem> problems) {
    }

    /**
     * Reads and checks a sweep file: every problem at once, with file, line and column
     * ({@link dev.sit.core.config.ConfigException}). The base experiment itself is checked later, per variant.
     */
    public static SweepDefinition read(Path file) throws IOException {
        Parsed parsed = parse(file);
        if (!parsed.problems().isEmpty()) {
            throw new ConfigException(parsed.problems());
        }
        return parsed.definition();
    }

    /** Reads a sweep file, keeping its problems instead of throwing them (see {@link #read}). */
    public static Parsed parse(Path file) throws IOException {
        YamlDocument document = YamlDocument.read(file);
        Problems problems = new Problems(document);
        JsonNode root = document.root();
        root.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                String hint = ClosestName.of(key, KEYS).map(s -> " (did you mean " + s + "?)").orElse("");
                problems.atKey(key, "unknown key '" + key + "'" + hint + "; valid keys: " + String.join(", ", KEYS));
            }
        });

        String name = text(root, "name", problems);
        if (name == null) {
            problems.at("", "name: is required: it names the sweep folder results/<name>/ and the W&B group, e.g. name: my-sweep");
        } else if (!name.matches("[A-Za-z0-9._-]+")) {
            problems.at("name", "'" + name + "' may only use letters, digits, '.', '_' and '-' (it names a folder)");
        }

        Path base = null;
        String baseText = text(root, "base", problems);
        if (baseText == null) {
            problems.at("", "base: is required: the experiment file every run starts from, e.g. base: quickstart.yaml");
        } else {
            Path parent = file.toAbsolutePath().getParent();
            base = parent.resolve(baseText).normalize();
            if (!Files.isRegularFile(base)) {
                problems.at("base", "the base experiment " + baseText + " does not exist (looked for " + base
                        + "; a relative path is relative to the sweep file)");
            }
        }

        List<SweepAssignment> shared = assignments(document, root.get("set"), "set", problems);

        JsonNode grid = root.get("grid");
        JsonNode runs = root.get("runs");
        List<SweepVariant> variants = new ArrayList<>();
        if ((grid == null || grid.isNull()) == (runs == null || runs.isNull())) {
            problems.at(grid != null ? "runs" : "", "give exactly one of grid: (a list of values per key; every "
                    + "combination runs) or runs: (a list of override sets)");
        } else if (grid != null && !grid.isNull()) {
            variants = gridVariants(document, grid, problems);
        } else {
            variants = listVariants(document, runs, problems);
        }

        String metric = root.has("metric") ? text(root, "metric", problems) : "loss";
        boolean maximize = false;
        String goal = root.has("goal") ? text(root, "goal", problems) : "minimize";
        if (goal != null) {
            switch (goal.toLowerCase(Locale.ROOT)) {
                case "minimize", "min" -> maximize = false;
                case "maximize", "max" -> maximize = true;
                default -> problems.at("goal", "must be minimize or maximize (is a lower or a higher metric better?), got '"
                        + goal + "'");
            }
        }
        String resultsDir = root.has("results_dir") ? text(root, "results_dir", problems) : "results";
        boolean usable = base != null && Files.isRegularFile(base) && !variants.isEmpty();
        // with problems, the defaults stand in for the keys that have them, so that the variants can still be checked
        SweepDefinition definition = !usable ? null : new SweepDefinition(file, name != null ? name : "sweep", base, shared,
                unique(variants), metric != null ? metric : "loss", maximize,
                Path.of(resultsDir != null ? resultsDir : "results"));
        return new Parsed(definition, problems.list());
    }

    private static String text(JsonNode root, String key, Problems problems) {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            problems.at(key, "must be a text, got " + kind(value));
            return null;
        }
        return value.asText();
    }

    /** A mapping of dotted keys to values ({@code set:} or one entry of {@code runs:}). */
    private static List<SweepAssignment> assignments(YamlDocument document, JsonNode node, String path, Problems problems) {
        List<SweepAssignment> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            problems.at(path, path.replace('/', '.') + " must be a mapping of experiment keys to values "
                    + "(e.g. {train.max_steps: 300, transport.path: GVP}), got " + kind(node));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = path + "/" + e.getKey();
            out.add(new SweepAssignment(e.getKey(), e.getValue(), document.locationOf(at), document.keyLocationOf(at)));
        }
        return out;
    }

    private static List<SweepVariant> gridVariants(YamlDocument document, JsonNode grid, Problems problems) {
        if (!grid.isObject() || grid.isEmpty()) {
            problems.at("grid", "grid must be a mapping of experiment keys to lists of values "
                    + "(e.g. transport.path: [Linear, GVP]), got " + kind(grid));
            return List.of();
        }
        List<List<SweepAssignment>> axes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "grid/" + e.getKey();
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                problems.at(path, "must be a non-empty list of values (e.g. [Linear, GVP]), got "
                        + kind(e.getValue()) + "; put a single value shared by every run under set:");
                continue;
            }
            List<SweepAssignment> axis = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                axis.add(new SweepAssignment(e.getKey(), e.getValue().get(i), document.locationOf(path + "/" + i),
                        document.keyLocationOf(path)));
            }
            axes.add(axis);
        }
        List<List<SweepAssignment>> combinations = new ArrayList<>();
        combinations.add(List.of());
        for (List<SweepAssignment> axis : axes) {
            List<List<SweepAssignment>> next = new ArrayList<>();
            for (List<SweepAssignment> prefix : combinations) {
                for (SweepAssignment a : axis) {
                    List<SweepAssignment> c = new ArrayList<>(prefix);
                    c.add(a);
                    next.add(c);
                }
            }
            combinations = next;
        }
        return combinations.stream().map(c -> new SweepVariant(label(c), c)).toList();
    }

    private static List<SweepVariant> listVariants(YamlDocument document, JsonNode runs, Problems problems) {
        if (!runs.isArray() || runs.isEmpty()) {
            problems.at("runs", "runs must be a non-empty list of override sets (e.g. - {transport.path: GVP}), got "
                    + kind(runs));
            return List.of();
        }
        List<SweepVariant> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            List<SweepAssignment> a = assignments(document, runs.get(i), "runs/" + i, problems);
            out.add(new SweepVariant(a.isEmpty() ? "base" : label(a), a));
        }
        return out;
    }

    /** {@code GVP-logit-normal}: the values, as folder-safe text. */
    private static String label(List<SweepAssignment> assignments) {
        StringBuilder b = new StringBuilder();
        for (SweepAssignment a : assignments) {
            String value = a.value().isObject() && a.value().has("name") ? a.value().get("name").asText() + "-"
                    + a.value().path("options").toString() : a.valueText();
            b.append(b.length() == 0 ? "" : "_").append(value.replaceAll("[^A-Za-z0-9.-]+", "-")
                    .replaceAll("-{2,}", "-").replaceAll("^-+|-+$", ""));
        }
        return b.length() == 0 ? "base" : b.toString();
    }

    /** Repeated labels get {@code -2}, {@code -3}, ... */
    private static List<SweepVariant> unique(List<SweepVariant> variants) {
        Set<String> seen = new HashSet<>();
        List<SweepVariant> out = new ArrayList<>();
        for (SweepVariant v : variants) {
            String label = v.label();
            for (int k = 2; !seen.add(label); k++) {
                label = v.label() + "-" + k;
            }
            out.add(new SweepVariant(label, v.assignments()));
        }
        return out;
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isNull() ? "nothing" : "'" + node.asText() + "'";
    }
}
