package dev.sit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.List;

/**
 * Command-line overrides {@code --set train.lr=2e-4}: a dotted key and a YAML value (a number,
 * true/false, a string, or a flow list/map such as {@code [1, 2]}), applied to the document
 * before validation. Intermediate mappings are created as needed.
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
            ObjectNode node = document.root();
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                path.append(i == 0 ? "" : "/").append(parts[i]);
                JsonNode next = node.get(parts[i]);
                if (next == null || next.isNull()) {
                    next = node.putObject(parts[i]);
                } else if (!next.isObject()) {
                    throw new ConfigException(List.of(new ConfigProblem(SourceLocation.override(assignment), key,
                            "cannot set " + key + ": " + path.toString().replace('/', '.') + " is not a mapping")));
                }
                node = (ObjectNode) next;
            }
            node.set(parts[parts.length - 1], value);
            document.relocate(key.replace('.', '/'), SourceLocation.override(assignment));
        }
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
