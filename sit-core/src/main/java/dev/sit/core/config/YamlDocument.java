package dev.sit.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML file as a Jackson tree plus the source location of every value and key, addressed by
 * path ("train/lr", "loggers/0/name"), so that every problem can cite file, line and column.
 */
public final class YamlDocument {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String source;
    private final ObjectNode root;
    private final Map<String, SourceLocation> locations;

    private YamlDocument(String source, ObjectNode root, Map<String, SourceLocation> locations) {
        this.source = source;
        this.root = root;
        this.locations = locations;
    }

    public static YamlDocument read(Path file) throws IOException {
        return parse(file.toString(), new StringReader(text(file)));
    }

    /**
     * The file as UTF-8 text; a binary file (a NUL byte) or bytes that are not UTF-8 are a
     * problem at the line and column of the first bad byte, not a decoder's exception.
     */
    private static String text(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = utf8.decode(in, out, true);
        int bad = result.isError() ? in.position() : -1;
        // a NUL, or more than 1% control bytes, is a binary file, whatever decodes
        int control = 0;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
                control++;
                if (b == 0 && (bad < 0 || i < bad)) {
                    bad = i;
                }
            }
        }
        boolean binary = control > 0 && (control * 100L > bytes.length || hasNul(bytes));
        if (bad < 0 && binary) {
            bad = firstControl(bytes);
        }
        if (bad >= 0) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    column = 1;
                } else if ((bytes[i] & 0xC0) != 0x80) {
                    column++;
                }
            }
            String what = binary ? "a binary file, not YAML text"
                    : "not UTF-8 text (byte 0x" + String.format("%02x", bytes[bad] & 0xff) + " is not valid UTF-8)";
            throw new ConfigException(List.of(new ConfigProblem(new SourceLocation(file.toString(), line, column), "",
                    what + ": an experiment is a UTF-8 YAML file; check that this is the file you meant, or save it"
                            + " as UTF-8")));
        }
        utf8.flush(out);
        return out.flip().toString();
    }

    private static boolean hasNul(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static int firstControl(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }

    public static YamlDocument parse(String source, String text) {
        try {
            return parse(source, new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static YamlDocument parse(String source, Reader reader) throws IOException {
        Map<String, SourceLocation> locations = new HashMap<>();
        try (JsonParser parser = YAML.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlDocument(source, NODES.objectNode(), locations);
            }
            JsonNode node = new Builder(source, parser, locations).value("");
            if (!node.isObject()) {
                throw new ConfigException(List.of(new ConfigProblem(new SourceLocation(source, 1, 1), "",
                        "an experiment must be a mapping of keys (name:, model:, train:, ...), got a " + node.getNodeType().toString().toLowerCase())));
            }
            return new YamlDocument(source, (ObjectNode) node, locations);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            SourceLocation where = at == null ? new SourceLocation(source, 0, 0)
                    : new SourceLocation(source, at.getLineNr(), at.getColumnNr());
            String problem = e.getOriginalMessage();
            // the scanner's mark is where the problem is; Jackson's location is the last good token
            if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                where = new SourceLocation(source, marked.getProblemMark().getLine() + 1,
                        marked.getProblemMark().getColumn() + 1);
                problem = (marked.getContext() == null ? "" : marked.getContext() + ": ") + marked.getProblem();
            }
            throw new ConfigException(List.of(new ConfigProblem(where, "", "not valid YAML: " + problem)));
        }
    }

    public String source() {
        return source;
    }

    public ObjectNode root() {
        return root;
    }

    /** The location of the value at {@code path}, or of its closest written ancestor. */
    public SourceLocation locationOf(String path) {
        String p = path;
        while (true) {
            SourceLocation found = locations.get(p);
            if (found != null) {
                return found;
            }
            if (p.isEmpty()) {
                return new SourceLocation(source, 0, 0);
            }
            int slash = p.lastIndexOf('/');
            p = slash < 0 ? "" : p.substring(0, slash);
        }
    }

    /** The location of the key (not the value) at {@code path}, falling back to the value's. */
    public SourceLocation keyLocationOf(String path) {
        SourceLocation key = locations.get(path + "#key");
        return key != null ? key : locationOf(path);
    }

    /**
     * Records that the value at {@code path} came from somewhere else (a command-line override), and
     * its key from {@code keyLocation} (null: the value's location).
     */
    void relocate(String path, SourceLocation location, SourceLocation keyLocation) {
        locations.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "/") || k.equals(path + "#key"));
        locations.put(path, location);
        if (keyLocation != null) {
            locations.put(path + "#key", keyLocation);
        }
    }

    private record Builder(String source, JsonParser parser, Map<String, SourceLocation> locations) {

        JsonNode value(String path) throws IOException {
            locations.put(path, here());
            JsonToken token = parser.currentToken();
            switch (token) {
                case START_OBJECT: {
                    ObjectNode object = NODES.objectNode();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        String child = path.isEmpty() ? name : path + "/" + name;
                        SourceLocation keyAt = here();
                        if (object.has(name)) {
                            throw new ConfigException(List.of(new ConfigProblem(keyAt, child.replace('/', '.'),
                                    "duplicate key '" + name + "' (first at " + locations.get(child + "#key") + ")")));
                        }
                        locations.put(child + "#key", keyAt);
                        parser.nextToken();
                        object.set(name, value(child));
                    }
                    return object;
                }
                case START_ARRAY: {
                    ArrayNode array = NODES.arrayNode();
                    int i = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        array.add(value(path + "/" + i++));
                    }
                    return array;
                }
                case VALUE_STRING:
                    return NODES.textNode(parser.getText());
                case VALUE_NUMBER_INT:
                    return NODES.numberNode(parser.getLongValue());
                case VALUE_NUMBER_FLOAT:
                    return NODES.numberNode(floatValue());
                case VALUE_TRUE:
                    return NODES.booleanNode(true);
                case VALUE_FALSE:
                    return NODES.booleanNode(false);
                case VALUE_NULL:
                    return NODES.nullNode();
                default:
                    throw new ConfigException(List.of(new ConfigProblem(here(), path.replace('/', '.'),
                            "unsupported YAML construct " + token)));
            }
        }

        /** YAML 1.1 floats, including {@code .nan}, {@code .inf} and {@code -.inf} (range checks refuse them later). */
        private double floatValue() throws IOException {
            String text = parser.getText().trim();
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals(".nan")) {
                return Double.NaN;
            }
            if (lower.equals(".inf") || lower.equals("+.inf")) {
                return Double.POSITIVE_INFINITY;
            }
            if (lower.equals("-.inf")) {
                return Double.NEGATIVE_INFINITY;
            }
            return parser.getDoubleValue();
        }

        private SourceLocation here() {
            JsonLocation at = parser.currentTokenLocation();
            return new SourceLocation(source, at.getLineNr(), at.getColumnNr());
        }
    }
}
