package dev.sit.core.io;

/**
 * A storage named by a persistent id in a {@code torch.save} pickle:
 * {@code ('storage', torch.FloatStorage, key, location, numel)}. Its bytes are the archive entry
 * {@code data/<key>} (zip format) or the key's record after the pickles (legacy format).
 *
 * @param key         the storage key
 * @param type        element type of the storage
 * @param numel       number of elements
 * @param location    device string as saved, e.g. {@code cpu} or {@code cuda:0}
 */
record TorchStorageRef(String key, TensorDType type, long numel, String location) {
}
