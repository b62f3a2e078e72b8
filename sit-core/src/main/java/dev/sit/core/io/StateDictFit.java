package dev.sit.core.io;

import java.util.Map;

/**
 * What a checkpoint must declare to fit the model it is read for, checked by
 * {@link TorchCheckpointReader#read(java.nio.file.Path, StateDictFit)} on the pickle alone, before
 * any storage is read or unpacked: a checkpoint whose keys or shapes do not fit, or whose storages
 * declare more elements than the model could use (a zip bomb: gigabytes of zeros deflated into a
 * megabyte), is refused without allocating its tensors.
 */
public interface StateDictFit {

    /**
     * Refuses a state dict whose declared tensor shapes (key to PyTorch shape) do not fit, with
     * an {@link IllegalArgumentException} naming the keys, the shapes and the likely setting.
     *
     * @param source the file and entry, for the message
     */
    void check(Map<String, long[]> declaredShapes, String source);

    /** The most elements one storage may hold: the largest tensor of the model. */
    long largestTensorElements();

    /**
     * The most elements all storages together may hold: those of a training checkpoint (model,
     * EMA, and Adam's two moments and step per parameter).
     */
    long totalElements();
}
