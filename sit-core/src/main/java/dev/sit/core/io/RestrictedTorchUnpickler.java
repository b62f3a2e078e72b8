package dev.sit.core.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The pickle stream of a {@code torch.save} file, unpickled with razorvine's {@link Unpickler}
 * under a whitelist: every GLOBAL / STACK_GLOBAL / INST is checked against {@link #ALLOWED} as
 * soon as it is read, before anything is called, and anything else ({@code os.system},
 * {@code builtins.eval}, ...) stops the load with a {@link CheckpointFormatException} naming the
 * global. The allowed globals are pure Java here: {@code OrderedDict} becomes an insertion-ordered
 * map, the tensor rebuild functions build INDArrays from the storages, {@code argparse.Namespace}
 * becomes a map of its attributes. Dictionaries keep their pickled order (razorvine's own
 * {@code EMPTY_DICT}/{@code SETITEMS} use unordered hash maps). Length-prefixed opcodes are
 * checked against the bytes left, so a corrupt length cannot allocate gigabytes.
 */
final class RestrictedTorchUnpickler extends Unpickler {

    /** Loads a storage's elements as a 1-D array of its type (FLOAT for Float, HALF for Half, ...). */
    interface StorageSource {
        INDArray load(TorchStorageRef storage) throws IOException;
    }

    /** The globals a state dict or a {@code train.py} checkpoint needs, and nothing else. */
    static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter",
            "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
            "torch.ByteStorage", "torch.BoolStorage",
            "argparse.Namespace");

    private final Path file;
    private final TorchTensorAssembler tensors;
    private final Map<String, TorchStorageRef> storagesSeen = new LinkedHashMap<>();

    /**
     * @param source where storage bytes come from; null for a dry run that checks the pickle and
     *               collects the storages it names without reading any data (tensors are then
     *               placeholders)
     */
    RestrictedTorchUnpickler(Path file, StorageSource source) {
        this.file = file;
        this.tensors = new TorchTensorAssembler(file, source);
    }

    /** In a dry run, the size declared for the placeholder tensor {@code a}; null otherwise. */
    long[] declaredSize(INDArray a) {
        return tensors.declaredSize(a);
    }

    /** In a dry run, where the placeholder tensor {@code a} lies in its storage; null otherwise. */
    TorchTensorAssembler.TorchTensorLayout layout(INDArray a) {
        return tensors.layout(a);
    }

    /** The storages named by persistent ids so far, by key. */
    Map<String, TorchStorageRef> storagesSeen() {
        return storagesSeen;
    }

    /**
     * Unpickles {@code pickle}. Every failure, including a refused global, a malformed stream
     * or a storage that does not match its tensors, is a {@link CheckpointFormatException}.
     */
    Object load(byte[] pickle, String entryName) throws IOException {
        try {
            return load(new ByteArrayInputStream(pickle));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RefusedGlobal e) {
            throw CheckpointFormatException.in(file, "refusing to unpickle global '" + e.getMessage() + "' in "
                    + entryName + ": only " + new TreeSet<>(ALLOWED) + " may occur in a checkpoint (a pickle"
                    + " can run arbitrary code; this file is not a plain state dict or training checkpoint)");
        } catch (PickleException | ClassCastException | IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException
                 | IllegalStateException | NullPointerException e) {
            throw CheckpointFormatException.in(file, "malformed pickle " + entryName + ": " + e, e);
        } catch (IOException e) {
            throw CheckpointFormatException.in(file, "malformed pickle " + entryName + ": " + e.getMessage(), e);
        }
    }

    /** Reads one pickle from a stream positioned at it (the legacy format holds several in a row). */
    Object loadNext(java.io.InputStream in, String what) throws IOException {
        try {
            return load(in);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RefusedGlobal e) {
            throw CheckpointFormatException.in(file, "refusing to unpickle global '" + e.getMessage() + "' in "
                    + what + ": only " + new TreeSet<>(ALLOWED) + " may occur in a checkpoint");
        } catch (PickleException | ClassCastException | IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException
                 | IllegalStateException | NullPointerException e) {
            throw CheckpointFormatException.in(file, "malformed pickle " + what + ": " + e, e);
        }
    }

    /** Thrown, unchecked, from inside the dispatch loop when a global is not allowed. */
    private static final class RefusedGlobal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedGlobal(String global) {
            super(global, null, false, false);
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                IObjectConstructor c = resolve(module, name);
                stack.add(c.construct(stack.pop_all_since_marker().toArray()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.EXT1:
            case Opcodes.EXT2:
            case Opcodes.EXT4:
                throw new RefusedGlobal("copyreg extension code (opcode EXT" + (key == Opcodes.EXT1 ? 1
                        : key == Opcodes.EXT2 ? 2 : 4) + ")");
            case Opcodes.EMPTY_DICT:
                stack.add(new LinkedHashMap<Object, Object>());
                return NO_RETURN_VALUE;
            case Opcodes.DICT: {
                List<Object> items = stack.pop_all_since_marker();
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    map.put(items.get(i), items.get(i + 1));
                }
                stack.add(map);
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS: {
                List<Object> items = stack.pop_all_since_marker();
                @SuppressWarnings("unchecked")
                Map<Object, Object> map = (Map<Object, Object>) stack.peek();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    map.put(items.get(i), items.get(i + 1));
                }
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD:
                build();
                return NO_RETURN_VALUE;
            case Opcodes.BINSTRING:
            case Opcodes.BINUNICODE:
            case Opcodes.BINBYTES:
            case Opcodes.LONG4:
                checkLength(4, key);
                return super.dispatch(key);
            case Opcodes.BINUNICODE8:
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8:
                checkLength(8, key);
                return super.dispatch(key);
            default:
                return super.dispatch(key);
        }
    }

    /** A length-prefixed opcode must not announce more bytes than the stream holds. */
    private void checkLength(int width, short opcode) throws IOException {
        input.mark(16);
        byte[] raw = PickleUtils.readbytes(input, width);
        input.reset();
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long len = width == 4 ? b.getInt() : b.getLong();
        long left = input.available() - width;
        if (len < 0 || len > left) {
            throw new PickleException("opcode 0x" + Integer.toHexString(opcode) + " announces " + len
                    + " bytes but only " + left + " remain (corrupt or truncated pickle)");
        }
    }

    private void build() {
        Object state = stack.pop();
        Object target = stack.peek();
        if (target instanceof PickledNamespace ns) {
            Object attrs = state instanceof Object[] t && t.length == 2 ? t[0] : state;
            if (attrs instanceof Map<?, ?> m) {
                m.forEach((k, v) -> ns.put(String.valueOf(k), v));
                return;
            }
            throw new PickleException("argparse.Namespace state is not a dict: " + describe(state));
        }
        if (target instanceof PickledOrderedDict) {
            return; // the state is the module's _metadata attribute (per-module versions): not needed
        }
        throw new PickleException("BUILD (set object state) on " + describe(target) + " is not allowed");
    }

    private IObjectConstructor resolve(String module, String name) {
        String global = module + "." + name;
        if (!ALLOWED.contains(global)) {
            throw new RefusedGlobal(global);
        }
        switch (global) {
            case "collections.OrderedDict":
                return args -> {
                    PickledOrderedDict d = new PickledOrderedDict();
                    if (args.length == 1 && args[0] instanceof List<?> pairs) {
                        for (Object p : pairs) {
                            Object[] kv = p instanceof Object[] a ? a : ((List<?>) p).toArray();
                            d.put(kv[0], kv[1]);
                        }
                    } else if (args.length != 0) {
                        throw new PickleException("OrderedDict with arguments " + describe(args));
                    }
                    return d;
                };
            case "argparse.Namespace":
                return args -> new PickledNamespace();
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                return args -> {
                    if (args.length < 4) {
                        throw new PickleException(name + " needs (storage, offset, size, stride), got "
                                + describe(args));
                    }
                    try {
                        return tensors.tensor(args[0], args[1], args[2], args[3]);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
            case "torch._utils._rebuild_parameter":
                return args -> {
                    if (args.length < 1 || !(args[0] instanceof INDArray)) {
                        throw new PickleException("_rebuild_parameter needs a tensor, got " + describe(args));
                    }
                    return args[0];
                };
            default:
                return new StorageClass(storageType(name));
        }
    }

    /** The element type of a {@code torch.*Storage} class. */
    static TensorDType storageType(String storageClass) {
        switch (storageClass) {
            case "FloatStorage": return TensorDType.F32;
            case "DoubleStorage": return TensorDType.F64;
            case "HalfStorage": return TensorDType.F16;
            case "BFloat16Storage": return TensorDType.BF16;
            case "LongStorage": return TensorDType.I64;
            case "IntStorage": return TensorDType.I32;
            case "ShortStorage": return TensorDType.I16;
            case "CharStorage": return TensorDType.I8;
            case "ByteStorage": return TensorDType.U8;
            case "BoolStorage": return TensorDType.BOOL;
            default: throw new IllegalArgumentException("unknown storage class torch." + storageClass);
        }
    }

    /**
     * {@code ('storage', storage_type, key, location, numel)} (zip format) or, in the legacy
     * format, the same with a sixth {@code view_metadata} entry, which must be None.
     */
    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
            throw new PickleException("unsupported persistent id " + describe(pid)
                    + " (expected ('storage', torch.<Type>Storage, key, location, numel))");
        }
        if (!(t[1] instanceof StorageClass sc)) {
            throw new PickleException("persistent id " + describe(pid) + " does not name a storage class");
        }
        if (t.length > 5 && t[5] != null) {
            throw new PickleException("storage views (legacy view_metadata " + describe(t[5]) + ") are not supported");
        }
        long numel = ((Number) t[4]).longValue();
        if (numel < 0) {
            throw new PickleException("storage '" + t[2] + "' has negative size " + numel);
        }
        TorchStorageRef ref = new TorchStorageRef(String.valueOf(t[2]), sc.type(), numel, String.valueOf(t[3]));
        TorchStorageRef prior = storagesSeen.putIfAbsent(ref.key(), ref);
        if (prior != null && (prior.type() != ref.type() || prior.numel() != ref.numel())) {
            throw new PickleException("storage '" + ref.key() + "' is named twice with different types or sizes: "
                    + prior + " and " + ref);
        }
        return ref;
    }

    /** What the GLOBAL of a {@code torch.*Storage} class pushes: it only names an element type. */
    record StorageClass(TensorDType type) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("constructing a storage class directly is not supported");
        }
    }

    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Object[] a) {
            List<String> parts = new ArrayList<>();
            for (Object x : a) {
                parts.add(describe(x));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        if (o instanceof INDArray arr) {
            return "tensor" + Arrays.toString(arr.shape());
        }
        String s = o.toString();
        return o.getClass().getSimpleName() + " " + (s.length() > 80 ? s.substring(0, 80) + "..." : s);
    }

    /** An {@code OrderedDict} (accepts BUILD: state dicts carry a {@code _metadata} attribute). */
    static final class PickledOrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    /** An {@code argparse.Namespace}: its attributes, set by BUILD. */
    static final class PickledNamespace extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }
}
