package dev.sit.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, ...)} into an INDArray:
 * element {@code (i_0, ..., i_k)} is storage element {@code storage_offset + sum(i_j * stride_j)}.
 * Each storage is read once; a tensor that is exactly its whole storage in C order takes the
 * storage's memory, every other view (an offset, a transpose, a slice, a second tensor over the
 * same storage) is copied out, so no two returned tensors share memory. Half and bfloat16
 * tensors are converted to FLOAT.
 */
final class TorchTensorAssembler {


    private final Path file;
    private final RestrictedTorchUnpickler.StorageSource source;
    private final Map<String, INDArray> storages = new HashMap<>();
    private final Set<String> handedOut = new HashSet<>();
    /** In a dry run: each tensor's placeholder (never handed to callers) to where its elements lie. */
    private final Map<INDArray, TorchTensorLayout> layouts = new IdentityHashMap<>();

    TorchTensorAssembler(Path file, RestrictedTorchUnpickler.StorageSource source) {
        this.file = file;
        this.source = source;
    }

    /** The size a dry run's placeholder tensor was declared with, or null for any other array. */
    long[] declaredSize(INDArray placeholder) {
        TorchTensorLayout layout = layouts.get(placeholder);
        return layout == null ? null : layout.size();
    }

    /** Where a dry run's placeholder tensor lies in its storage, or null for any other array. */
    TorchTensorLayout layout(INDArray placeholder) {
        return layouts.get(placeholder);
    }

    INDArray tensor(Object storageObj, Object offsetObj, Object sizeObj, Object strideObj) throws IOException {
        if (!(storageObj instanceof TorchStorageRef storage)) {
            throw CheckpointFormatException.in(file, "tensor rebuilt from " + RestrictedTorchUnpickler.describe(storageObj)
                    + " instead of a storage");
        }
        long offset = toLong(offsetObj, "storage_offset", storage);
        long[] size = toLongs(sizeObj, "size", storage);
        long[] stride = toLongs(strideObj, "stride", storage);
        String where = "tensor of size " + Arrays.toString(size) + " on storage '" + storage.key() + "'";
        if (size.length != stride.length) {
            throw CheckpointFormatException.in(file, where + " has stride " + Arrays.toString(stride)
                    + " of a different rank");
        }
        long count = 1;
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || stride[i] < 0) {
                throw CheckpointFormatException.in(file, where + " has a negative size or stride "
                        + Arrays.toString(stride));
            }
            count = Math.multiplyExact(count, size[i]);
            if (size[i] > 0) {
                last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            }
        }
        DataType resultType = resultType(storage.type());
        if (count == 0) {
            return Nd4j.create(resultType, size);
        }
        if (offset < 0 || last >= storage.numel()) {
            throw CheckpointFormatException.in(file, where + ", offset " + offset + " and stride "
                    + Arrays.toString(stride) + " reaches element " + last + " but the storage has only "
                    + storage.numel() + " elements");
        }
        TorchTensorLayout layout = new TorchTensorLayout(storage, offset, size, stride);
        if (source == null) {
            INDArray placeholder = Nd4j.scalar(0f);
            layouts.put(placeholder, layout);
            return placeholder;
        }
        INDArray base = storages.get(storage.key());
        if (base == null) {
            base = source.load(storage);
            storages.put(storage.key(), base);
        }
        return layout.extract(base, layout.isWholeStorage() && handedOut.add(storage.key()));
    }

    /** The type a tensor of a storage type is handed out in: half and bfloat16 become FLOAT. */
    static DataType resultType(TensorDType type) {
        return type == TensorDType.F16 || type == TensorDType.BF16 ? DataType.FLOAT : type.nd4j();
    }

    /**
     * Where one tensor's elements lie in its storage: {@code _rebuild_tensor_v2}'s storage offset,
     * size and stride (checked against the storage by {@link #tensor}).
     */
    record TorchTensorLayout(TorchStorageRef storage, long offset, long[] size, long[] stride) {

        long elements() {
            long n = 1;
            for (long s : size) {
                n *= s;
            }
            return n;
        }

        /** Whether the tensor is its whole storage in C order (then it can take the storage's memory). */
        boolean isWholeStorage() {
            return offset == 0 && elements() == storage.numel() && isCOrder(size, stride);
        }

        /**
         * The tensor out of its loaded storage: the storage's own memory when {@code takeStorage} (the
         * caller knows nobody else gets it), else a C-order copy; half and bfloat16 as FLOAT.
         */
        INDArray extract(INDArray loadedStorage, boolean takeStorage) {
            DataType resultType = resultType(storage.type());
            if (elements() == 0) {
                return Nd4j.create(resultType, size);
            }
            INDArray view = Nd4j.create(loadedStorage.data(), size, cStride(size, stride), offset, 'c');
            INDArray result = takeStorage ? view : view.dup('c');
            return result.dataType() == resultType ? result : result.castTo(resultType);
        }
    }

    /** C-order strides, ignoring dimensions of size 1 (their stride is arbitrary). */
    private static boolean isCOrder(long[] size, long[] stride) {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= size[i];
        }
        return true;
    }

    /** The strides ND4J gets: PyTorch's, except that size-1 dimensions get their C-order value. */
    private static long[] cStride(long[] size, long[] stride) {
        long[] s = stride.clone();
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] == 1) {
                s[i] = expected;
            }
            expected *= size[i];
        }
        return s;
    }

    private long toLong(Object o, String what, TorchStorageRef storage) throws CheckpointFormatException {
        if (o instanceof Number n && !(o instanceof Double) && !(o instanceof Float)) {
            return n.longValue();
        }
        throw CheckpointFormatException.in(file, "tensor on storage '" + storage.key() + "' has " + what + " "
                + RestrictedTorchUnpickler.describe(o) + ", not an integer");
    }

    private long[] toLongs(Object o, String what, TorchStorageRef storage) throws CheckpointFormatException {
        Object[] items = o instanceof Object[] a ? a : o instanceof List<?> l ? l.toArray() : null;
        if (items == null) {
            throw CheckpointFormatException.in(file, "tensor on storage '" + storage.key() + "' has " + what + " "
                    + RestrictedTorchUnpickler.describe(o) + ", not a tuple of integers");
        }
        long[] r = new long[items.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = toLong(items[i], what, storage);
        }
        return r;
    }
}
