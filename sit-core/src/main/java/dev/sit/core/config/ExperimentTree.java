package dev.sit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The resolved experiment as a tree (every default filled in, plugin names canonical, plugin
 * options bound) with secrets redacted: what {@code sit run --dry-run} prints and what the run
 * folder keeps as {@code experiment.yaml}.
 */
public final class ExperimentTree {

    /** Keys whose values are never printed or saved. */
    public static final Pattern SECRET_KEY = Pattern.compile("(?i).*(api_?key|token|secret|password).*");
    public static final String REDACTED = "<redacted>";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ExperimentTree() {
    }

    public static ObjectNode of(ResolvedExperiment resolved) {
        return (ObjectNode) redact(value(resolved.experiment(), "", resolved.plugins()));
    }

    public static String toYaml(ResolvedExperiment resolved) {
        try {
            return YAML.writeValueAsString(of(resolved));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tree as plain maps and lists (for loggers' run configuration). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(ResolvedExperiment resolved) {
        return YAML.convertValue(of(resolved), Map.class);
    }

    private static JsonNode value(Object value, String key, Map<String, BoundPlugin<?>> bound) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof PluginChoice choice) {
            ObjectNode node = NODES.objectNode();
            BoundPlugin<?> plugin = bound.get(key);
            node.put("name", plugin != null ? plugin.name() : choice.name());
            JsonNode options = plugin != null ? value(plugin.options(), key + ".options", bound) : choice.options();
            if (options.size() > 0) {
                node.set("options", options);
            }
            return node;
        }
        if (value instanceof Record record) {
            ObjectNode node = NODES.objectNode();
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                try {
                    Object v = c.getAccessor().invoke(record);
                    if (v != null) {
                        String name = Names.snake(c.getName());
                        node.set(name, value(v, key.isEmpty() ? name : key + "." + name, bound));
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return node;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = NODES.arrayNode();
            int i = 0;
            for (Object item : list) {
                array.add(value(item, key + "." + i++, bound));
            }
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), value(v, key + "." + k, bound)));
            return node;
        }
        if (value instanceof Enum<?> e) {
            return NODES.textNode(e.name().equals("ODE") || e.name().equals("SDE") ? e.name() : Names.enumValue(e));
        }
        if (value instanceof JsonNode node) {
            return node.deepCopy();
        }
        if (value instanceof Path p) {
            return NODES.textNode(p.toString());
        }
        return YAML.valueToTree(value);
    }

    /** Replaces the value of every secret-looking key, at any depth. */
    public static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (SECRET_KEY.matcher(e.getKey()).matches() && !e.getKey().endsWith("_env") && !e.getValue().isNull()
                        && !(e.getValue().isTextual() && e.getValue().asText().isEmpty())) {
                    e.setValue(NODES.textNode(REDACTED));
                } else {
                    redact(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ExperimentTree::redact);
        }
        return node;
    }
}
