package dev.sit.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code torch.save} format of torch before 1.6 ({@code _legacy_save}; still written with
 * {@code _use_new_zipfile_serialization=False}): five pickles in a row, the magic number
 * {@code 0x1950a86a20f9469cfc6c}, the protocol version 1001, a {@code sys_info} dict, the object
 * itself (storages as persistent ids {@code ('storage', torch.FloatStorage, key, location, numel,
 * view_metadata)}) and the sorted list of storage keys; then, for each key in that order, a
 * little-endian int64 element count followed by the raw elements.
 *
 * <p>The storages come after the object, so the object is unpickled twice: a dry run that finds
 * where each storage's bytes lie, then the real load that reads them.
 */
final class LegacyTorchFormat {

    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int PROTOCOL_VERSION = 1001;

    private LegacyTorchFormat() {
    }

    static Object read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ChannelInput in = new ChannelInput(ch);
            RestrictedTorchUnpickler dry = new RestrictedTorchUnpickler(file, null);
            Object magic = pickle(dry, in, file, "the magic number");
            if (!(magic instanceof Number n) || !new BigInteger(n.toString()).equals(MAGIC)) {
                throw CheckpointFormatException.in(file, "not a PyTorch checkpoint: a pickle, but without torch's magic"
                        + " number (found " + RestrictedTorchUnpickler.describe(magic) + ")");
            }
            Object version = pickle(dry, in, file, "the protocol version");
            if (!(version instanceof Number v) || v.intValue() != PROTOCOL_VERSION) {
                throw CheckpointFormatException.in(file, "unsupported legacy torch protocol version "
                        + RestrictedTorchUnpickler.describe(version) + " (supported: 1001)");
            }
            Object sysInfo = pickle(dry, in, file, "sys_info");
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw CheckpointFormatException.in(file, "storages are stored big-endian; only little-endian"
                        + " checkpoints are supported");
            }
            long objectStart = in.position();
            pickle(dry, in, file, "the saved object");
            Object keys = pickle(dry, in, file, "the storage key list");
            if (!(keys instanceof List<?> keyList)) {
                throw CheckpointFormatException.in(file, "storage key list is "
                        + RestrictedTorchUnpickler.describe(keys) + ", not a list");
            }
            Map<String, Long> dataOffsets = locateStorages(ch, file, in.position(), keyList, dry.storagesSeen());

            in.seek(objectStart);
            RestrictedTorchUnpickler real = new RestrictedTorchUnpickler(file, storage -> {
                Long at = dataOffsets.get(storage.key());
                if (at == null) {
                    throw CheckpointFormatException.in(file, "storage '" + storage.key()
                            + "' is not in the file's storage key list");
                }
                ch.position(at);
                try {
                    return TensorBytes.read(ch, storage.type(), new long[] {storage.numel()});
                } catch (java.io.EOFException e) {
                    throw CheckpointFormatException.in(file, "storage '" + storage.key() + "' is truncated", e);
                }
            });
            return pickle(real, in, file, "the saved object");
        }
    }

    /** Walks the storage records: each is an int64 element count, then the elements. */
    private static Map<String, Long> locateStorages(FileChannel ch, Path file, long start, List<?> keys,
            Map<String, TorchStorageRef> refs) throws IOException {
        Map<String, Long> offsets = new HashMap<>();
        long pos = start;
        long size = ch.size();
        ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (Object k : keys) {
            String key = String.valueOf(k);
            TorchStorageRef ref = refs.get(key);
            if (ref == null) {
                throw CheckpointFormatException.in(file, "storage key '" + key + "' is listed but no tensor uses it");
            }
            count.clear();
            while (count.hasRemaining()) {
                if (ch.read(count, pos + count.position()) < 0) {
                    throw CheckpointFormatException.in(file, "file ends before storage '" + key
                            + "' (at byte " + pos + "): the file is truncated");
                }
            }
            long numel = count.flip().getLong();
            if (numel != ref.numel()) {
                throw CheckpointFormatException.in(file, "storage '" + key + "' holds " + numel
                        + " elements but the pickle says " + ref.numel());
            }
            long end = pos + 8 + numel * ref.type().bytes();
            if (end > size) {
                throw CheckpointFormatException.in(file, "storage '" + key + "' needs bytes up to " + end
                        + " but the file has " + size + ": the file is truncated");
            }
            offsets.put(key, pos + 8);
            pos = end;
        }
        return offsets;
    }

    private static Object pickle(RestrictedTorchUnpickler u, ChannelInput in, Path file, String what)
            throws IOException {
        try {
            return u.loadNext(in, what);
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException e) {
            throw CheckpointFormatException.in(file, "cannot read " + what + " (" + e.getMessage()
                    + "): the file is truncated or corrupted", e);
        }
    }

    /**
     * A buffered stream over a file channel that knows its position, can seek, reports the bytes
     * left as {@link #available()} (so corrupt lengths are caught) and supports mark/reset.
     */
    static final class ChannelInput extends InputStream {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        private long bufStart;
        private long mark;

        ChannelInput(FileChannel ch) {
            this.ch = ch;
            buf.limit(0);
        }

        long position() {
            return bufStart + buf.position();
        }

        void seek(long pos) {
            bufStart = pos;
            buf.limit(0);
        }

        private boolean fill() throws IOException {
            if (buf.hasRemaining()) {
                return true;
            }
            bufStart = position();
            buf.clear();
            int n = ch.read(buf, bufStart);
            buf.flip();
            return n > 0;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buf.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(Integer.MAX_VALUE, ch.size() - position());
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readlimit) {
            mark = position();
        }

        @Override
        public synchronized void reset() {
            seek(mark);
        }

        @Override
        public void close() {
        }
    }
}
