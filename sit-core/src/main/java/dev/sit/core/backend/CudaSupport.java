package dev.sit.core.backend;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which GPUs the ND4J 1.0.0-M2.1 CUDA backend ({@code mvn -Pcuda}, nd4j-cuda-11.6) runs on. Its
 * kernels are compiled for compute capability up to 8.6 with no PTX to JIT-compile for newer
 * chips. A cubin runs on the same major version with an equal or higher minor one (NVIDIA's binary
 * compatibility rule), so every 8.x device runs (Ada 8.9 included), while Hopper (9.0, H100/H200)
 * and Blackwell (10.x, 12.x) fail in the first kernel launch with an obscure native error; CUDA 11
 * itself starts at compute capability 3.5. Supported: {@code 3.5 <= major.minor < 9.0}. The check
 * below runs before any work and names the device and the builds that support it instead.
 */
public final class CudaSupport {

    /** Lowest compute capability of CUDA 11.x (times ten: 3.5). */
    public static final int MIN_CAPABILITY = 35;
    /** Highest compute capability the nd4j-cuda-11.6 kernels are built for (times ten: 8.6). */
    public static final int BUILT_CAPABILITY = 86;
    /** First major version those kernels cannot run on (Hopper). */
    public static final int FIRST_UNSUPPORTED_MAJOR = 9;

    /** The support matrix, one line per build, as {@code sit doctor} and the errors print it. */
    public static final List<String> MATRIX = List.of(
            "CPU build (default, nd4j-native linux-x86_64-onednn-avx2): any x86-64 CPU with AVX2",
            "CUDA build (mvn -Pcuda package, nd4j-cuda-11.6): NVIDIA compute capability 3.5 to 8.x "
                    + "(kernels built up to 8.6: K80, P100, V100, T4, A100, A10, RTX 20xx/30xx/40xx, L4, L40); needs CUDA 11.6 and its driver",
            "not supported by any build of ND4J 1.0.0-M2.1: compute capability 9.0 and above "
                    + "(Hopper H100/H200, Blackwell B100/B200, RTX 50xx): run the CPU build, or a GPU of the list above");

    private CudaSupport() {
    }

    /** Whether the CUDA 11.6 build's kernels run on a device of this compute capability. */
    public static boolean supports(int major, int minor) {
        return major * 10 + minor >= MIN_CAPABILITY && major < FIRST_UNSUPPORTED_MAJOR;
    }

    /**
     * The unsupported devices among {@code devices}, described for a user: empty when every device is
     * supported (or there are none, as on the CPU backend).
     */
    public static List<String> problems(List<ComputeDevice> devices) {
        return devices.stream().filter(d -> !d.supported())
                .map(d -> String.format(Locale.ROOT, "GPU %d (%s) has compute capability %s, which the ND4J 1.0.0-M2.1 "
                        + "CUDA 11.6 build does not support (it covers 3.5 to 8.x; its kernels are built up to 8.6, no PTX)",
                        d.index(), d.name(), d.computeCapability()))
                .collect(Collectors.toList());
    }

    /**
     * Stops before any work when the backend sees an unsupported GPU: the message names the device
     * and the support matrix. Does nothing on the CPU backend.
     *
     * @throws UnsupportedGpuException naming each unsupported device and the builds that would run
     */
    public static void requireSupported(BackendReport report) {
        List<String> problems = problems(report.devices());
        if (!problems.isEmpty()) {
            throw new UnsupportedGpuException(String.join("; ", problems) + ". Builds and the GPUs they run on:\n  "
                    + String.join("\n  ", MATRIX)
                    + "\nTo run on this machine's CPU instead, build without -Pcuda (mvn -B -DskipTests package). "
                    + "`sit doctor` shows what the backend sees.");
        }
    }

    /** {@link #requireSupported(BackendReport)} on the backend in use; cheap on the CPU backend. */
    public static void requireSupported() {
        requireSupported(BackendReport.inspect());
    }
}
