package dev.sit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes to an experiment applied to its document before validation, each remembering where it
 * came from so that a problem with the value names that place: {@code --set train.lr=2e-4} (a
 * dotted key and a YAML value: a number, true/false, a string, or a flow list/map such as
 * {@code [1, 2]}), or a typed value from a command's own flag ({@code --cfg-scale 4.0}).
 * Intermediate mappings are created as needed; a number selects a list element
 * ({@code --set sample.1.cfg_scale=2}).
 */
public final class Overrides {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper VALUES = new ObjectMapper();

    /**
     * One change: where the value goes, the value, where it came from, and where its key was written
     * (null: at the value, as on the command line).
     */
    private record Change(String key, JsonNode value, SourceLocation source, SourceLocation keySource) {

        Change(String key, JsonNode value, SourceLocation source) {
            this(key, value, source, null);
        }
    }

    private final List<Change> changes;

    private Overrides(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /** No changes. */
    public static Overrides none() {
        return new Overrides(List.of());
    }

    /** {@code --set key.path=value} assignments, in order. */
    public static Overrides parse(List<String> assignments) {
        List<Change> changes = new ArrayList<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(List.of(new ConfigProblem(SourceLocation.override(assignment), "",
                        "expected --set key.path=value (e.g. --set train.lr=2e-4)")));
            }
            changes.add(new Change(assignment.substring(0, eq).trim(), parseValue(assignment.substring(eq + 1)),
                    SourceLocation.override(assignment)));
        }
        return new Overrides(changes);
    }

    /**
     * These changes, then {@code key = value} from a command-line flag: {@code value} is a Java value
     * (number, boolean, string, list, map or a {@link JsonNode}) taken as it is, and problems with it
     * are reported at {@code flag} (e.g. "--cfg-scale 4.0"). A null value adds nothing.
     */
    public Overrides with(String key, Object value, String flag) {
        if (value == null) {
            return this;
        }
        List<Change> more = new ArrayList<>(changes);
        more.add(new Change(key, value instanceof JsonNode node ? node : VALUES.valueToTree(value),
                new SourceLocation(flag, 0, 0)));
        return new Overrides(more);
    }

    /**
     * These changes, then {@code key = value} written in another file at {@code source} (a sweep's
     * grid entry): problems with the value are reported at that file, line and column.
     */
    public Overrides with(String key, JsonNode value, SourceLocation source) {
        return with(key, value, source, null);
    }

    /**
     * As {@link #with(String, JsonNode, SourceLocation)}, with the key written at {@code keySource}:
     * problems with the key itself (an unknown key) are reported there, once for all of its values.
     */
    public Overrides with(String key, JsonNode value, SourceLocation source, SourceLocation keySource) {
        List<Change> more = new ArrayList<>(changes);
        more.add(new Change(key, value, source, keySource));
        return new Overrides(more);
    }

    /** These changes followed by {@code later}'s (a later change of the same key wins). */
    public Overrides then(Overrides later) {
        List<Change> all = new ArrayList<>(changes);
        all.addAll(later.changes);
        return new Overrides(all);
    }

    /** Applies every change to the document, in order, and relocates the changed keys to their sources. */
    public void applyTo(YamlDocument document) {
        for (Change change : changes) {
            String key = change.key();
            String[] parts = key.split("\\.");
            JsonNode node = document.root();
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = child(node, parts[i]);
                path.append(i == 0 ? "" : "/").append(parts[i]);
                if (next == null || next.isNull()) {
                    if (!(node instanceof ObjectNode object)) {
                        throw problem(change, "cannot set " + key + ": " + path.toString().replace('/', '.') + " does not exist");
                    }
                    next = object.putObject(parts[i]);
                    // a mapping the change created is written where the change is (e.g. an unknown section)
                    SourceLocation created = change.keySource() != null ? change.keySource() : change.source();
                    document.relocate(path.toString(), created, created);
                } else if (!next.isContainerNode()) {
                    throw problem(change, "cannot set " + key + ": " + path.toString().replace('/', '.')
                            + " is not a mapping or list");
                }
                node = next;
            }
            String last = parts[parts.length - 1];
            if (node instanceof ObjectNode object) {
                object.set(last, change.value());
            } else if (node instanceof ArrayNode array && last.matches("\\d+") && Integer.parseInt(last) < array.size()) {
                array.set(Integer.parseInt(last), change.value());
            } else {
                throw problem(change, "cannot set " + key + ": no list element " + last);
            }
            document.relocate(key.replace('.', '/'), change.source(), change.keySource());
        }
    }

    private static ConfigException problem(Change change, String message) {
        return new ConfigException(List.of(new ConfigProblem(change.source(), change.key(), message)));
    }

    /**
     * The child {@code name} of a mapping, or element {@code name} (a number) of a list; a single
     * mapping written where a list is allowed (e.g. one {@code sample:}) is its own element 0.
     */
    private static JsonNode child(JsonNode node, String name) {
        if (node.isArray()) {
            return name.matches("\\d+") ? node.get(Integer.parseInt(name)) : null;
        }
        if (node.isObject() && name.equals("0") && !node.has("0") && node.size() > 0) {
            return node;
        }
        return node.get(name);
    }

    private static JsonNode parseValue(String text) {
        if (text.isBlank()) {
            return YAML.getNodeFactory().nullNode();
        }
        try {
            JsonNode parsed = YAML.readTree(text);
            return parsed == null ? YAML.getNodeFactory().textNode(text) : parsed;
        } catch (IOException e) {
            // not YAML on its own (e.g. "a: b: c"): take it as a plain string
            return YAML.getNodeFactory().textNode(text);
        }
    }
}
