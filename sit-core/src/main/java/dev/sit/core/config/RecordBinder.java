package dev.sit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sit.api.Range;
import dev.sit.core.plugin.ClosestName;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a YAML tree to records: snake_case keys to record components, with every unknown key,
 * wrong type and {@link Range} violation reported to {@link Problems} (all of them, not the
 * first), and missing keys passed as {@code null} so that a record's compact constructor fills
 * in its defaults. An {@link IllegalArgumentException} from a constructor becomes a problem at
 * that record. Supported component types: String, boxed or primitive numbers and booleans,
 * enums, {@link Path}, nested records, {@link PluginChoice}, {@code List<T>},
 * {@code Map<String, T>} and {@link JsonNode}.
 */
public final class RecordBinder {

    private final Problems problems;

    public RecordBinder(Problems problems) {
        this.problems = problems;
    }

    /**
     * The record bound from {@code node} at {@code path} ("" for the root), or null when a problem
     * was reported (binding goes on elsewhere so that all problems are found).
     */
    public <R extends Record> R bind(JsonNode node, Class<R> type, String path) {
        return type.cast(bindRecord(node, type, path));
    }

    /** A single value of the given (possibly generic) type at {@code path}; null when a problem was reported. */
    public Object value(JsonNode node, Type type, String path) {
        return convert(node, type, path);
    }

    private Object bindRecord(JsonNode node, Class<?> type, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            node = JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            problems.at(path, "expected a mapping with keys " + keys(type) + ", got " + describe(node));
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            byKey.put(Names.snake(c.getName()), c);
        }
        boolean ok = true;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!byKey.containsKey(key)) {
                String hint = ClosestName.of(key, byKey.keySet()).map(s -> " (did you mean " + s + "?)").orElse("");
                problems.atKey(child(path, key), "unknown key '" + key + "'" + hint + "; valid keys: " + keys(type));
                ok = false;
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = Names.snake(c.getName());
            JsonNode value = node.get(key);
            String childPath = child(path, key);
            if (value == null || value.isNull()) {
                values[i] = c.getType().isPrimitive() ? primitiveDefault(c.getType()) : null;
                continue;
            }
            int before = problems.size();
            values[i] = convert(value, c.getGenericType(), childPath);
            if (problems.size() > before) {
                ok = false;
                continue;
            }
            Range range = c.getAnnotation(Range.class);
            if (range != null && values[i] instanceof Number n && !inRange(n.doubleValue(), range)) {
                problems.at(childPath, "value " + value.asText() + " is out of range; expected " + describe(range));
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
                problems.at(culprit(node, byKey.keySet(), path, cause.getMessage()), cause.getMessage());
                return null;
            }
            throw new IllegalStateException("cannot construct " + type.getName() + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName() + ": " + e, e);
        }
    }

    /**
     * The key a record's own check complains about: the written key its message names first
     * ("size 'SiT-Q/2' is not a SiT size" is about size), so the problem points at that line, or
     * at the {@code --set} that wrote it; the record's path when the message names none.
     */
    private static String culprit(JsonNode node, java.util.Set<String> keys, String path, String message) {
        String found = path;
        int earliest = Integer.MAX_VALUE;
        for (String key : keys) {
            if (!node.has(key)) {
                continue;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![A-Za-z_])" + java.util.regex.Pattern.quote(key)
                    + "(?![A-Za-z_])").matcher(message == null ? "" : message);
            if (m.find() && m.start() < earliest) {
                earliest = m.start();
                found = child(path, key);
            }
        }
        return found;
    }

    private Object convert(JsonNode value, Type type, String path) {
        Class<?> raw = rawClass(type);
        if (raw == JsonNode.class) {
            return value;
        }
        if (raw == String.class) {
            if (value.isContainerNode()) {
                return mismatch(path, "a string", value);
            }
            return value.asText();
        }
        if (raw == Path.class) {
            return value.isTextual() ? Path.of(value.asText()) : mismatch(path, "a path", value);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            if (value.isBoolean()) {
                return value.booleanValue();
            }
            if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(value.asText());
            }
            return mismatch(path, "true or false", value);
        }
        if (Number.class.isAssignableFrom(raw) || (raw.isPrimitive() && raw != boolean.class)) {
            return number(value, raw, path);
        }
        if (raw.isEnum()) {
            return enumValue(value, raw, path);
        }
        if (raw == PluginChoice.class) {
            return pluginChoice(value, path);
        }
        if (raw.isRecord()) {
            return bindRecord(value, raw, path);
        }
        if (raw == List.class) {
            Type element = typeArgument(type, 0);
            JsonNode items = value;
            if (!value.isArray()) {
                // a single item where a list is expected: accept it as a list of one
                items = JsonNodeFactory.instance.arrayNode().add(value);
            }
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                list.add(convert(items.get(i), element, value.isArray() ? path + "/" + i : path));
            }
            return list;
        }
        if (raw == Map.class) {
            if (!value.isObject()) {
                return mismatch(path, "a mapping", value);
            }
            Type element = typeArgument(type, 1);
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(e -> map.put(e.getKey(), convert(e.getValue(), element, child(path, e.getKey()))));
            return map;
        }
        throw new IllegalStateException("unsupported option type " + type + " at " + path);
    }

    private Object pluginChoice(JsonNode value, String path) {
        if (value.isTextual()) {
            return new PluginChoice(value.asText(), null, path);
        }
        if (!value.isObject()) {
            return mismatch(path, "a plugin name, or a mapping with name: and options:", value);
        }
        boolean ok = true;
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("name") && !key.equals("options")) {
                problems.atKey(child(path, key), "unknown key '" + key + "'; a plugin choice has name: and options: (put plugin settings under options:)");
                ok = false;
            }
        }
        JsonNode name = value.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            problems.at(path, "a plugin choice needs name: (the plugin's name)");
            ok = false;
        }
        JsonNode options = value.get("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            problems.at(child(path, "options"), "options: must be a mapping of the plugin's settings, got " + describe(options));
            ok = false;
        }
        return ok ? new PluginChoice(name.asText(), options == null || options.isNull() ? null : options, path) : null;
    }

    private Object number(JsonNode value, Class<?> raw, String path) {
        double d;
        if (value.isNumber()) {
            d = value.doubleValue();
        } else if (value.isTextual()) {
            // YAML 1.1 reads 2e-4 (no dot) as a string; accept it as the number it means
            try {
                d = Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                return mismatch(path, "a number", value);
            }
        } else {
            return mismatch(path, "a number", value);
        }
        if (!Double.isFinite(d)) {
            // YAML 1.1 reads .nan and .inf as floats; no setting means them
            return mismatch(path, "a finite number", value);
        }
        if (raw == Double.class || raw == double.class) {
            return d;
        }
        if (raw == Float.class || raw == float.class) {
            return (float) d;
        }
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            return mismatch(path, "a whole number", value);
        }
        if (raw == Integer.class || raw == int.class) {
            if (d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
                return mismatch(path, "a whole number within int range", value);
            }
            return (int) d;
        }
        return (long) d;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object enumValue(JsonNode value, Class<?> raw, String path) {
        List<String> names = Arrays.stream(raw.getEnumConstants()).map(e -> Names.enumValue((Enum<?>) e)).toList();
        if (value.isTextual()) {
            String wanted = value.asText().trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Object constant : raw.getEnumConstants()) {
                if (Names.enumValue((Enum<?>) constant).equals(wanted)) {
                    return constant;
                }
            }
            String hint = ClosestName.of(wanted, names).map(s -> " (did you mean " + s + "?)").orElse("");
            problems.at(path, "'" + value.asText() + "' is not one of " + String.join(", ", names) + hint);
            return null;
        }
        return mismatch(path, "one of " + String.join(", ", names), value);
    }

    private Object mismatch(String path, String expected, JsonNode value) {
        problems.at(path, "expected " + expected + ", got " + describe(value));
        return null;
    }

    static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "'" + node.asText() + "'";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.toString();
    }

    private static String keys(Class<?> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> Names.snake(c.getName())).reduce((a, b) -> a + ", " + b).orElse("(none)");
    }

    private static boolean inRange(double v, Range r) {
        boolean low = r.minExclusive() ? v > r.min() : v >= r.min();
        boolean high = r.maxExclusive() ? v < r.max() : v <= r.max();
        return low && high && !Double.isNaN(v);
    }

    /** "in [0, 0.5)" style description of a range. */
    public static String describe(Range r) {
        return (r.minExclusive() ? "(" : "[") + format(r.min()) + ", " + format(r.max()) + (r.maxExclusive() ? ")" : "]");
    }

    private static String format(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static Object primitiveDefault(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == long.class) {
            return 0L;
        }
        return 0;
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "/" + key;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported option type " + type);
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
