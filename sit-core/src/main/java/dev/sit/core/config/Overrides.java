package dev.sit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.List;

/**
 * Command-line overrides {@code --set train.lr=2e-4}: a dotted key and a YAML value (a number,
 * true/false, a string, or a flow list/map such as {@code [1, 2]}), applied to the document
 * before validation. Intermediate mappings are created as needed; a number selects a list element
 * ({@code --set sample.1.cfg_scale=2}).
 */
public final class Overrides {

    private static final YAMLMapper YAML = new YAMLMapper();

    private Overrides() {
    }

    public static void apply(YamlDocument document, List<String> assignments) {
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(List.of(new ConfigProblem(SourceLocation.override(assignment), "",
                        "expected --set key.path=value (e.g. --set train.lr=2e-4)")));
            }
            String key = assignment.substring(0, eq).trim();
            String text = assignment.substring(eq + 1);
            JsonNode value = parseValue(assignment, text);
            String[] parts = key.split("\\.");
            JsonNode node = document.root();
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = child(node, parts[i]);
                path.append(i == 0 ? "" : "/").append(parts[i]);
                if (next == null || next.isNull()) {
                    if (!(node instanceof ObjectNode object)) {
                        throw new ConfigException(List.of(new ConfigProblem(SourceLocation.override(assignment), key,
                                "cannot set " + key + ": " + path.toString().replace('/', '.') + " does not exist")));
                    }
                    next = object.putObject(parts[i]);
                } else if (!next.isContainerNode()) {
                    throw new ConfigException(List.of(new ConfigProblem(SourceLocation.override(assignment), key,
                            "cannot set " + key + ": " + path.toString().replace('/', '.') + " is not a mapping or list")));
                }
                node = next;
            }
            String last = parts[parts.length - 1];
            if (node instanceof ObjectNode object) {
                object.set(last, value);
            } else if (node instanceof ArrayNode array && last.matches("\\d+") && Integer.parseInt(last) < array.size()) {
                array.set(Integer.parseInt(last), value);
            } else {
                throw new ConfigException(List.of(new ConfigProblem(SourceLocation.override(assignment), key,
                        "cannot set " + key + ": no list element " + last)));
            }
            document.relocate(key.replace('.', '/'), SourceLocation.override(assignment));
        }
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

    private static JsonNode parseValue(String assignment, String text) {
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
