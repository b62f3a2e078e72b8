/**
 * Tensor and checkpoint files: NumPy {@code .npy} ({@link dev.sit.core.io.NpyFile}),
 * safetensors, sit's native checkpoint format ({@link dev.sit.core.io.SafetensorsFile}), and the
 * reference implementation's PyTorch {@code .pt} files ({@link dev.sit.core.io.TorchCheckpointReader},
 * {@link dev.sit.core.io.TorchCheckpoint}), unpickled under a whitelist of globals. Every reader
 * validates sizes against the file before allocating and reports a bad file as a
 * {@link dev.sit.core.io.CheckpointFormatException} naming the file, the entry and the numbers.
 */
package dev.sit.core.io;
