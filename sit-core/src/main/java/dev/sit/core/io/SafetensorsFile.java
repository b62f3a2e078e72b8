package dev.sit.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The safetensors format (huggingface/safetensors): an unsigned 64-bit little-endian header
 * length {@code N}, {@code N} bytes of UTF-8 JSON
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"k": "v"}}} (padded with spaces), then the tensors' raw little-endian C-order
 * bytes; offsets are relative to the end of the header and the tensors tile the data exactly.
 *
 * <p>Reading checks everything before allocating tensor memory: the header length against the
 * file size, the JSON, every dtype, shape and offset pair ({@code end - begin == numel * width}),
 * that the tensors neither overlap nor leave gaps nor run past the end, and duplicate names.
 * F16 and BF16 tensors are converted to FLOAT on read. Writing goes to a temporary file in the
 * same folder, which is fsynced and then atomically renamed over the target, so a reader never
 * sees a half-written checkpoint.
 */
public final class SafetensorsFile {

    /** The reference implementation's limit on the header size (100 MB). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SafetensorsFile() {
    }

    /** Where one tensor's bytes lie, as the header says. */
    private record Entry(String name, TensorDType type, long[] shape, long begin, long end) {
    }

    /** A parsed and validated header. */
    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    /** Reads every tensor, in header order. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(ch, file);
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (Entry e : header.entries()) {
                ch.position(header.dataStart() + e.begin());
                INDArray arr;
                try {
                    arr = TensorBytes.read(ch, e.type(), e.shape());
                } catch (EOFException ex) {
                    throw CheckpointFormatException.in(file, "tensor '" + e.name() + "' is truncated: "
                            + ex.getMessage(), ex);
                }
                if (e.type() == TensorDType.F16 || e.type() == TensorDType.BF16) {
                    arr = arr.castTo(DataType.FLOAT);
                }
                out.put(e.name(), arr);
            }
            return out;
        }
    }

    /**
     * Opens a file for reading one tensor at a time: the header is read and validated now (as by
     * {@link #read}), each tensor's bytes only when asked for, straight from the file into the new
     * array's native memory (no Java buffer, no memory map whose pages would count as resident
     * until unmapped). Close it when done.
     */
    public static Tensors open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new Tensors(file, ch, readHeader(ch, file));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** An open safetensors file whose tensors are read on demand ({@link #open}). */
    public static final class Tensors implements TensorSource, AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final long dataStart;
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        private Tensors(Path file, FileChannel channel, Header header) {
            this.file = file;
            this.channel = channel;
            this.dataStart = header.dataStart();
            for (Entry e : header.entries()) {
                entries.put(e.name(), e);
            }
        }

        @Override
        public List<String> keys() {
            return List.copyOf(entries.keySet());
        }

        @Override
        public long[] shape(String key) {
            return entry(key).shape().clone();
        }

        @Override
        public boolean isFloatingPoint(String key) {
            return entry(key).type().nd4j().isFPType();
        }

        @Override
        public synchronized INDArray read(String key) throws IOException {
            Entry e = entry(key);
            channel.position(dataStart + e.begin());
            INDArray arr;
            try {
                arr = TensorBytes.read(channel, e.type(), e.shape());
            } catch (EOFException ex) {
                throw CheckpointFormatException.in(file, "tensor '" + e.name() + "' is truncated: " + ex.getMessage(), ex);
            }
            return e.type() == TensorDType.F16 || e.type() == TensorDType.BF16 ? arr.castTo(DataType.FLOAT) : arr;
        }

        private Entry entry(String key) {
            Entry e = entries.get(key);
            if (e == null) {
                throw new IllegalArgumentException(file + " has no tensor '" + key + "'");
            }
            return e;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** The {@code __metadata__} string map of the header (empty if there is none). */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file).metadata();
        }
    }

    /**
     * Writes the tensors (in map order) and the metadata atomically. Supported ND4J types:
     * FLOAT (F32), DOUBLE (F64), HALF (F16), BFLOAT16 (BF16), LONG (I64), INT (I32), SHORT,
     * BYTE, UBYTE, BOOL. Views and F-ordered arrays are written in C order.
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            // sorted: a Map.of's order changes from one JVM to the next, and the same checkpoint must be the same bytes
            new java.util.TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            INDArray arr = e.getValue();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            if (arr == null) {
                throw new IllegalArgumentException("tensor '" + name + "' is null");
            }
            TensorDType type = TensorDType.of(arr.dataType()).orElseThrow(() -> new IllegalArgumentException(
                    "tensor '" + name + "' has type " + arr.dataType() + ", which safetensors cannot store"));
            long bytes = arr.length() * type.bytes();
            ObjectNode t = header.putObject(name);
            t.put("dtype", type.safetensorsName());
            ArrayNode shape = t.putArray("shape");
            for (long s : arr.shape()) {
                shape.add(s);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer pre = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        pre.putLong(padded).put(json);
        while (pre.hasRemaining()) {
            pre.put((byte) ' ');
        }
        pre.flip();

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (pre.hasRemaining()) {
                    ch.write(pre);
                }
                for (INDArray arr : tensors.values()) {
                    TensorBytes.write(ch, arr);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot atomically rename " + tmp + " to " + target
                        + " (the file system does not support atomic moves)", e);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Makes the rename durable; not every platform can open a directory, which is harmless. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the data itself is already on disk
        }
    }

    private static Header readHeader(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw CheckpointFormatException.in(file, "not a safetensors file: only " + size
                    + " bytes, less than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > size - 8) {
            throw CheckpointFormatException.in(file, "header length " + Long.toUnsignedString(n)
                    + " runs past the end of the file (" + size + " bytes, so at most " + (size - 8)
                    + " header bytes); the file is truncated or not safetensors");
        }
        if (n > MAX_HEADER_BYTES) {
            throw CheckpointFormatException.in(file, "header length " + n + " exceeds the 100 MB limit");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8);
        long dataStart = 8 + n;
        long dataLen = size - dataStart;
        JsonNode root;
        try {
            root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate field ")) {
                throw CheckpointFormatException.in(file, "duplicate tensor name "
                        + msg.substring("Duplicate field ".length()) + " in the header");
            }
            throw CheckpointFormatException.in(file, "header is not valid JSON: " + msg);
        }
        if (root == null || !root.isObject()) {
            throw CheckpointFormatException.in(file, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!v.isObject()) {
                    throw CheckpointFormatException.in(file, "__metadata__ is not a JSON object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> m = v.fields(); m.hasNext();) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) {
                        throw CheckpointFormatException.in(file, "__metadata__ value of '" + kv.getKey()
                                + "' is not a string: " + kv.getValue());
                    }
                    metadata.put(kv.getKey(), kv.getValue().textValue());
                }
                continue;
            }
            entries.add(parseEntry(file, name, v));
        }
        validateLayout(file, entries, dataLen);
        return new Header(List.copyOf(entries), metadata, dataStart);
    }

    private static Entry parseEntry(Path file, String name, JsonNode v) throws CheckpointFormatException {
        String where = "tensor '" + name + "'";
        if (!v.isObject()) {
            throw CheckpointFormatException.in(file, where + ": header entry is not an object: " + v);
        }
        JsonNode dt = v.get("dtype");
        JsonNode sh = v.get("shape");
        JsonNode off = v.get("data_offsets");
        if (dt == null || !dt.isTextual() || sh == null || !sh.isArray() || off == null || !off.isArray()
                || off.size() != 2) {
            throw CheckpointFormatException.in(file, where + ": header entry needs \"dtype\" (string), \"shape\""
                    + " (array) and \"data_offsets\" ([begin, end]); got " + v);
        }
        TensorDType type = TensorDType.fromSafetensors(dt.textValue()).orElseThrow(() ->
                CheckpointFormatException.in(file, where + ": unsupported dtype " + dt.textValue()
                        + " (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)"));
        long[] shape = new long[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0) {
                throw CheckpointFormatException.in(file, where + ": invalid shape " + sh);
            }
            shape[i] = d.asLong();
        }
        for (int i = 0; i < 2; i++) {
            if (!off.get(i).canConvertToExactIntegral() || !off.get(i).canConvertToLong() || off.get(i).asLong() < 0) {
                throw CheckpointFormatException.in(file, where + ": invalid data_offsets " + off);
            }
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (end < begin) {
            throw CheckpointFormatException.in(file, where + ": data_offsets " + off + " end before they begin");
        }
        long expected;
        try {
            expected = Math.multiplyExact(TensorBytes.elementCount(shape), type.bytes());
        } catch (ArithmeticException e) {
            throw CheckpointFormatException.in(file, where + ": shape " + sh + " is too large");
        }
        if (end - begin != expected) {
            throw CheckpointFormatException.in(file, where + ": dtype " + type.safetensorsName() + " and shape "
                    + Arrays.toString(shape) + " need " + expected + " bytes but data_offsets [" + begin + ", "
                    + end + "] span " + (end - begin));
        }
        return new Entry(name, type, shape, begin, end);
    }

    /** The tensors must tile [0, dataLen) exactly, as the reference implementation requires. */
    private static void validateLayout(Path file, List<Entry> entries, long dataLen) throws CheckpointFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin() < pos) {
                throw CheckpointFormatException.in(file, "tensor '" + e.name() + "' data_offsets [" + e.begin()
                        + ", " + e.end() + "] overlap tensor '" + prev.name() + "' [" + prev.begin() + ", "
                        + prev.end() + "]");
            }
            if (e.begin() > pos) {
                throw CheckpointFormatException.in(file, "tensor '" + e.name() + "' starts at data offset "
                        + e.begin() + " but the previous tensor ends at " + pos + " (a gap of " + (e.begin() - pos)
                        + " bytes: the offsets are inconsistent)");
            }
            if (e.end() > dataLen) {
                throw CheckpointFormatException.in(file, "tensor '" + e.name() + "' data_offsets [" + e.begin()
                        + ", " + e.end() + "] run past the end of the data (" + dataLen
                        + " bytes after the header): the file is truncated");
            }
            pos = e.end();
            prev = e;
        }
        if (pos != dataLen) {
            throw CheckpointFormatException.in(file, "the tensors cover " + pos + " data bytes but the file has "
                    + dataLen + " after the header (trailing bytes: inconsistent offsets or a corrupted file)");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new EOFException();
            }
            p += n;
        }
    }
}
