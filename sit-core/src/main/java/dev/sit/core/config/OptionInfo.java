package dev.sit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sit.api.Doc;
import dev.sit.api.Range;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * One option of a plugin (a component of its options record) as shown by {@code sit plugins}:
 * YAML key, type, default (bound from an empty block; null when the option is required or has
 * no default), documentation and allowed range.
 */
public record OptionInfo(String key, String type, Object defaultValue, String doc, String range) {

    /** The options of a record type, in declaration order. */
    public static List<OptionInfo> of(Class<? extends Record> optionsType) {
        Record defaults = defaults(optionsType);
        List<OptionInfo> options = new ArrayList<>();
        for (RecordComponent c : optionsType.getRecordComponents()) {
            Object value = null;
            if (defaults != null) {
                try {
                    value = c.getAccessor().invoke(defaults);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            Doc doc = c.getAnnotation(Doc.class);
            Range range = c.getAnnotation(Range.class);
            options.add(new OptionInfo(Names.snake(c.getName()), typeName(c.getGenericType()), value,
                    doc == null ? "" : doc.value(), range == null ? null : RecordBinder.describe(range)));
        }
        return options;
    }

    /** The record bound from an empty options block, or null when that is not valid (a required option). */
    public static <R extends Record> R defaults(Class<R> optionsType) {
        Problems problems = new Problems(YamlDocument.parse("(defaults)", "{}"));
        JsonNode empty = JsonNodeFactory.instance.objectNode();
        return new RecordBinder(problems).bind(empty, optionsType, "");
    }

    private static String typeName(Type type) {
        if (type instanceof Class<?> c) {
            if (c.isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object constant : c.getEnumConstants()) {
                    names.add(Names.enumValue((Enum<?>) constant));
                }
                return String.join("|", names);
            }
            return switch (c.getSimpleName()) {
                case "Double", "double", "Float", "float" -> "number";
                case "Integer", "int", "Long", "long" -> "integer";
                case "Boolean", "boolean" -> "boolean";
                case "String" -> "string";
                case "Path" -> "path";
                default -> c.getSimpleName();
            };
        }
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            return "list of " + typeName(args[args.length - 1]);
        }
        return type.getTypeName();
    }
}
