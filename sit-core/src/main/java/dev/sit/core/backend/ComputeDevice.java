package dev.sit.core.backend;

/**
 * A GPU the CUDA backend sees: its index, name, compute capability (major.minor), total memory
 * in bytes, and whether this build's kernels run on it ({@link CudaSupport#supports}).
 */
public record ComputeDevice(int index, String name, int major, int minor, long totalMemory, boolean supported) {

    /** Compute capability as NVIDIA writes it, e.g. "8.6". */
    public String computeCapability() {
        return major + "." + minor;
    }
}
