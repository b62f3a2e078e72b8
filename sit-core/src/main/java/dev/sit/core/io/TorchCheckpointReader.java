package dev.sit.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads {@code torch.save} files: the zip format of torch 1.6 and later (entries
 * {@code <stem>/data.pkl}, {@code <stem>/data/<key>}, {@code <stem>/version}) and the legacy
 * format of earlier versions (a sequence of pickles followed by the raw storages). The pickle is
 * unpickled by {@link RestrictedTorchUnpickler}, which refuses every global a state dict or a
 * training checkpoint does not need.
 */
public final class TorchCheckpointReader {

    private static final long MAX_PICKLE_BYTES = Integer.MAX_VALUE - 8;

    private TorchCheckpointReader() {
    }

    /** Reads a checkpoint; every problem with the file is a {@link CheckpointFormatException}. */
    public static TorchCheckpoint read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads a checkpoint for a model: first the pickle alone, whose state dicts' keys and declared
     * shapes must fit {@code fit} and whose storages must not declare more elements than the
     * model can use ({@link StateDictFit}); only then are storages read, each no further than its
     * declared size. A checkpoint that does not fit is refused without unpacking any tensor.
     *
     * @param fit what the model takes; null reads whatever the file holds
     */
    public static TorchCheckpoint read(Path file, StateDictFit fit) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such checkpoint file");
        }
        byte[] head = new byte[4];
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            ch.read(ByteBuffer.wrap(head));
        }
        if (size >= 4 && head[0] == 'P' && head[1] == 'K') {
            return new TorchCheckpoint(file, normalize(readZip(file, fit)));
        }
        if (size >= 2 && (head[0] & 0xff) == 0x80) {
            return new TorchCheckpoint(file, normalize(LegacyTorchFormat.read(file)));
        }
        throw CheckpointFormatException.in(file, "not a PyTorch checkpoint: it is neither a zip archive (torch.save"
                + " of torch >= 1.6) nor a legacy pickle (torch < 1.6)" + (size < 4 ? " (only " + size + " bytes)" : ""));
    }

    /** The {@code <stem>/} of the archive's pickle, after checking the archive is a little-endian torch.save. */
    private static String picklePrefix(ZipFile zip, Path file) throws IOException {
        String prefix = null;
        boolean torchScript = false;
        List<String> names = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
            String name = en.nextElement().getName();
            if (names.size() < 8) {
                names.add(name);
            }
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                if (prefix != null && !prefix.equals(name.substring(0, slash + 1))) {
                    throw CheckpointFormatException.in(file, "zip archive holds two pickles, " + prefix
                            + "data.pkl and " + name);
                }
                prefix = name.substring(0, slash + 1);
            }
            torchScript |= name.endsWith("/constants.pkl") || name.contains("/code/");
        }
        if (prefix == null) {
            throw CheckpointFormatException.in(file, torchScript
                    ? "this is a TorchScript archive (torch.jit.save), not a torch.save checkpoint: load it in"
                            + " Python and save model.state_dict() with torch.save"
                    : "zip archive has no <name>/data.pkl entry, so it is not a torch.save checkpoint (entries: "
                            + names + ")");
        }
        ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
        if (byteOrder != null) {
            String order = new String(readEntry(zip, byteOrder, file, 16), StandardCharsets.US_ASCII).strip();
            if (!order.equals("little")) {
                throw CheckpointFormatException.in(file, "storages are stored " + order
                        + "-endian; only little-endian checkpoints are supported");
            }
        }
        return prefix;
    }

    private static Object readZip(Path file, StateDictFit fit) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = picklePrefix(zip, file);
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            byte[] pickle = readEntry(zip, pkl, file, Math.min(MAX_PICKLE_BYTES, Files.size(file)));
            if (fit != null) {
                checkDeclared(file, dryRun(file, pickle, prefix + "data.pkl"), fit);
            }
            String dataPrefix = prefix + "data/";
            RestrictedTorchUnpickler unpickler = new RestrictedTorchUnpickler(file,
                    storage -> readStorage(zip, dataPrefix, storage, file));
            return unpickler.load(pickle, prefix + "data.pkl");
        } catch (ZipException e) {
            throw CheckpointFormatException.in(file, "not a readable zip archive (" + e.getMessage()
                    + "): the file is truncated or corrupted", e);
        }
    }

    /**
     * Unpickles without reading storages and refuses a checkpoint whose state dicts do not fit
     * {@code fit}, or whose storages declare more elements than the model could use.
     */
    private static void checkDeclared(Path file, DryRun run, StateDictFit fit) throws IOException {
        RestrictedTorchUnpickler dry = run.unpickler();
        TorchCheckpoint declared = run.declared();
        String source = file.toString();
        fit.check(declaredShapes(dry, declared.model()), source + (declared.isTrainingCheckpoint() ? " ['model']" : ""));
        if (declared.ema().isPresent()) {
            fit.check(declaredShapes(dry, declared.ema().get()), source + " ['ema']");
        }
        long total = 0;
        for (TorchStorageRef storage : dry.storagesSeen().values()) {
            if (storage.numel() > fit.largestTensorElements()) {
                throw CheckpointFormatException.in(file, "storage '" + storage.key() + "' declares " + storage.numel()
                        + " elements, more than the model's largest tensor (" + fit.largestTensorElements()
                        + "): refusing to unpack it; the file is corrupt or not a checkpoint of this model");
            }
            total += storage.numel();
        }
        if (total > fit.totalElements()) {
            throw CheckpointFormatException.in(file, "its storages declare " + total + " elements, more than a"
                    + " training checkpoint of this model holds (" + fit.totalElements() + "): refusing to unpack"
                    + " them; the file is corrupt or not a checkpoint of this model");
        }
    }

    /** A pickle unpickled without reading storages: placeholder tensors that know their layout. */
    private record DryRun(RestrictedTorchUnpickler unpickler, TorchCheckpoint declared) {
    }

    private static DryRun dryRun(Path file, byte[] pickle, String entryName) throws IOException {
        RestrictedTorchUnpickler dry = new RestrictedTorchUnpickler(file, null);
        return new DryRun(dry, new TorchCheckpoint(file, normalize(dry.load(pickle, entryName))));
    }

    /**
     * Opens the weights of a checkpoint for reading one tensor at a time ({@link TensorSource}):
     * for sampling a training checkpoint's EMA (else its model, else the bare state dict), for
     * training its model. A zip-format file is checked against {@code fit} as by {@link #read(Path,
     * StateDictFit)} and then each tensor's storage is unpacked only when it is read, so a model
     * loaded from it never holds a second copy of the weights. A legacy-format file (torch before
     * 1.6, storages after the pickles) is read whole.
     *
     * @param fit what the model takes; null reads whatever the file holds
     */
    public static TensorSource openWeights(Path file, StateDictFit fit, boolean sampling) throws IOException {
        if (!isZip(file)) {
            TorchCheckpoint whole = read(file, fit);
            return TensorSource.of(sampling ? whole.weightsForSampling() : whole.model());
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw CheckpointFormatException.in(file, "not a readable zip archive (" + e.getMessage()
                    + "): the file is truncated or corrupted", e);
        }
        try {
            String prefix = picklePrefix(zip, file);
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            byte[] pickle = readEntry(zip, pkl, file, Math.min(MAX_PICKLE_BYTES, Files.size(file)));
            DryRun run = dryRun(file, pickle, prefix + "data.pkl");
            if (fit != null) {
                checkDeclared(file, run, fit);
            }
            Map<String, INDArray> placeholders = sampling ? run.declared().weightsForSampling() : run.declared().model();
            Map<String, TorchTensorAssembler.TorchTensorLayout> layouts = new LinkedHashMap<>();
            Map<String, INDArray> empty = new LinkedHashMap<>();
            placeholders.forEach((k, a) -> {
                TorchTensorAssembler.TorchTensorLayout layout = run.unpickler().layout(a);
                layouts.put(k, layout);
                if (layout == null) {
                    empty.put(k, a); // an empty tensor: the dry run made it for real
                }
            });
            return new TorchZipTensors(file, zip, prefix + "data/", layouts, empty);
        } catch (ZipException e) {
            zip.close();
            throw CheckpointFormatException.in(file, "not a readable zip archive (" + e.getMessage()
                    + "): the file is truncated or corrupted", e);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** Whether a file starts as a zip archive (torch.save of torch >= 1.6) does. */
    private static boolean isZip(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such checkpoint file");
        }
        byte[] head = new byte[4];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.read(ByteBuffer.wrap(head)) == 4 && head[0] == 'P' && head[1] == 'K';
        }
    }

    private static Map<String, long[]> declaredShapes(RestrictedTorchUnpickler dry, Map<String, INDArray> stateDict) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        stateDict.forEach((k, a) -> {
            long[] size = dry.declaredSize(a);
            shapes.put(k, size != null ? size : a.shape());
        });
        return shapes;
    }

    static INDArray readStorage(ZipFile zip, String dataPrefix, TorchStorageRef storage, Path file)
            throws IOException {
        String name = dataPrefix + storage.key();
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw CheckpointFormatException.in(file, "missing data entry '" + name + "' for storage '"
                    + storage.key() + "' (" + storage.numel() + " elements of " + storage.type()
                    + "): the archive is incomplete");
        }
        long expected = storage.numel() * storage.type().bytes();
        if (entry.getSize() >= 0 && entry.getSize() != expected) {
            throw CheckpointFormatException.in(file, "data entry '" + name + "' has " + entry.getSize()
                    + " bytes but storage '" + storage.key() + "' needs " + storage.numel() + " x "
                    + storage.type().bytes() + " = " + expected);
        }
        if (entry.getMethod() == ZipEntry.STORED && expected > Files.size(file)) {
            throw CheckpointFormatException.in(file, "storage '" + storage.key() + "' needs " + expected
                    + " bytes but the whole file has " + Files.size(file) + ": the file is truncated or corrupted");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return TensorBytes.read(new StreamChannel(in), storage.type(), new long[] {storage.numel()});
        } catch (EOFException e) {
            throw CheckpointFormatException.in(file, "data entry '" + name + "' is truncated: " + e.getMessage(), e);
        } catch (ZipException e) {
            throw CheckpointFormatException.in(file, "data entry '" + name + "' is unreadable: " + e.getMessage(), e);
        }
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry entry, Path file, long limit) throws IOException {
        if (entry.getSize() > limit) {
            throw CheckpointFormatException.in(file, "entry '" + entry.getName() + "' claims " + entry.getSize()
                    + " bytes, more than the file holds");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit, entry.getSize() >= 0 ? entry.getSize() : limit));
            if (entry.getSize() >= 0 && bytes.length != entry.getSize()) {
                throw CheckpointFormatException.in(file, "entry '" + entry.getName() + "' is truncated ("
                        + bytes.length + " of " + entry.getSize() + " bytes)");
            }
            return bytes;
        } catch (ZipException | EOFException e) {
            throw CheckpointFormatException.in(file, "entry '" + entry.getName() + "' is unreadable: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Replaces the unpickler's containers by plain ones: maps (dicts, OrderedDicts, argparse
     * namespaces) become {@link LinkedHashMap}s in pickled order, tuples become unmodifiable
     * lists, lists stay lists; shared references stay shared.
     */
    static Object normalize(Object root) {
        return normalize(root, new IdentityHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static Object normalize(Object o, IdentityHashMap<Object, Object> done) {
        if (o instanceof Map<?, ?> || o instanceof List<?> || o instanceof Object[]) {
            Object prior = done.get(o);
            if (prior != null) {
                return prior;
            }
        }
        if (o instanceof Map<?, ?> m) {
            LinkedHashMap<Object, Object> copy = new LinkedHashMap<>();
            done.put(o, copy);
            m.forEach((k, v) -> copy.put(normalize(k, done), normalize(v, done)));
            return copy;
        }
        if (o instanceof Object[] a) {
            List<Object> items = new ArrayList<>(a.length);
            List<Object> view = java.util.Collections.unmodifiableList(items);
            done.put(o, view);
            for (Object x : a) {
                items.add(normalize(x, done));
            }
            return view;
        }
        if (o instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            done.put(o, copy);
            for (Object x : l) {
                copy.add(normalize(x, done));
            }
            return copy;
        }
        return o;
    }

    /** An input stream as a channel, with a buffer large enough for fast bulk reads. */
    static final class StreamChannel implements ReadableByteChannel {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 20];

        StreamChannel(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = in.read(buf, 0, Math.min(buf.length, dst.remaining()));
            if (n > 0) {
                dst.put(buf, 0, n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    static String shapeOf(INDArray a) {
        return Arrays.toString(a.shape());
    }
}
