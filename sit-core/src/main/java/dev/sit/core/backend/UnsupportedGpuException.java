package dev.sit.core.backend;

/** The CUDA backend sees a GPU its kernels are not built for; the message says which builds would run. */
public final class UnsupportedGpuException extends RuntimeException {

    public UnsupportedGpuException(String message) {
        super(message);
    }
}
