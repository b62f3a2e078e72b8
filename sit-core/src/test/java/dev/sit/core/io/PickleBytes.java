package dev.sit.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes pickle opcodes by hand, to build checkpoints (hostile ones too) inside tests. */
final class PickleBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBytes proto(int v) {
        return op(0x80).op(v);
    }

    PickleBytes global(String module, String name) {
        op('c');
        ascii(module + "\n" + name + "\n");
        return this;
    }

    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le(4, b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBytes integer(int v) {
        op('J');
        le(4, v);
        return this;
    }

    PickleBytes bool(boolean v) {
        return op(v ? 0x88 : 0x89);
    }

    PickleBytes none() {
        return op('N');
    }

    PickleBytes mark() {
        return op('(');
    }

    PickleBytes tuple() {
        return op('t');
    }

    PickleBytes emptyTuple() {
        return op(')');
    }

    PickleBytes emptyDict() {
        return op('}');
    }

    PickleBytes emptyList() {
        return op(']');
    }

    PickleBytes appends() {
        return op('e');
    }

    PickleBytes setitems() {
        return op('u');
    }

    PickleBytes setitem() {
        return op('s');
    }

    PickleBytes reduce() {
        return op('R');
    }

    PickleBytes newobj() {
        return op(0x81);
    }

    PickleBytes build() {
        return op('b');
    }

    PickleBytes binpersid() {
        return op('Q');
    }

    PickleBytes stop() {
        return op('.');
    }

    PickleBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** A tuple of small ints: MARK int... TUPLE. */
    PickleBytes intTuple(long... values) {
        mark();
        for (long v : values) {
            integer((int) v);
        }
        return tuple();
    }

    /**
     * {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())} with a float
     * storage persistent id, exactly as torch.save writes it.
     */
    PickleBytes floatTensor(String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", "FloatStorage").str(key).str("cpu").integer((int) numel).tuple();
        binpersid();
        integer((int) offset);
        intTuple(size);
        intTuple(stride);
        bool(false);
        global("collections", "OrderedDict").emptyTuple().reduce();
        tuple();
        return reduce();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private PickleBytes op(int code) {
        out.write(code);
        return this;
    }

    private void ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private void le(int width, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        out.write(b.array(), 0, width);
    }

    /** A torch.save-style zip: {@code stem/data.pkl}, {@code stem/data/<key>} (stored), {@code stem/version}. */
    static byte[] torchZip(String stem, byte[] pickle, Map<String, float[]> storages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, stem + "/data.pkl", pickle);
            for (Map.Entry<String, float[]> e : storages.entrySet()) {
                ByteBuffer b = ByteBuffer.allocate(e.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(e.getValue());
                stored(zip, stem + "/data/" + e.getKey(), b.array());
            }
            stored(zip, stem + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
