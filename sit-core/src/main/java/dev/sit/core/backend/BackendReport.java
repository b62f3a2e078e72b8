package dev.sit.core.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the ND4J backend in use is and sees: its kind ({@code CPU} or {@code CUDA}), ND4J's
 * version, the native build (for the CPU: the classifier, the SIMD level it was compiled for and
 * the best one this CPU has), BLAS, threads, host memory, and the GPUs with their support.
 *
 * @param backend     ND4J's backend name: CPU or CUDA
 * @param nd4jVersion the ND4J release on the class path
 * @param build       the native build: a CPU classifier (e.g. linux-x86_64-onednn-avx2) or nd4j-cuda-11.6
 * @param buildSimd   the SIMD level the native library was compiled for (generic, x86-64, AVX2, AVX-512)
 * @param cpuSimd     the best SIMD level this CPU supports, on the same scale
 * @param cpuFlags    the vector-related CPU flags (from /proc/cpuinfo; empty where there is none)
 * @param blasVendor  the BLAS library (e.g. OPENBLAS, CUBLAS)
 * @param cores       logical processors
 * @param ompThreads  OpenMP threads ND4J uses
 * @param hostMemory  memory ND4J may use on the host, in bytes
 * @param devices     the GPUs the CUDA backend sees (none on the CPU backend)
 */
public record BackendReport(String backend, String nd4jVersion, String build, String buildSimd, String cpuSimd,
                            List<String> cpuFlags, String blasVendor, int cores, int ompThreads, long hostMemory,
                            List<ComputeDevice> devices) {

    private static final List<String> SIMD_LEVELS = List.of("generic", "x86-64", "AVX2", "AVX-512");
    // CPU classifiers of nd4j-native 1.0.0-M2.1, most specific first: the jar on the class path has one
    private static final List<String> CPU_CLASSIFIERS = List.of("linux-x86_64-onednn-avx512", "linux-x86_64-onednn-avx2",
            "linux-x86_64-avx512", "linux-x86_64-avx2", "linux-x86_64-onednn", "linux-x86_64",
            "linux-arm64", "macosx-x86_64", "macosx-arm64", "windows-x86_64");
    private static final List<String> VECTOR_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f",
            "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "neon", "asimd");

    /** Whether the backend runs on a GPU. */
    public boolean isCuda() {
        return backend.toUpperCase(java.util.Locale.ROOT).contains("CUDA");
    }

    /** Inspects the backend in use (loads ND4J if it is not loaded yet; runs no kernel). */
    public static BackendReport inspect() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = String.valueOf(env.getOrDefault("backend", "unknown"));
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        List<ComputeDevice> devices = devices(env);
        String build = devices.isEmpty() && !backend.toUpperCase(java.util.Locale.ROOT).contains("CUDA")
                ? cpuClassifier() : "nd4j-cuda-11.6";
        return new BackendReport(backend, readNd4jVersion(), build, simdLevel(ops.binaryLevel()), simdLevel(ops.optimalLevel()),
                cpuFlags(Path.of("/proc/cpuinfo")), String.valueOf(env.getOrDefault("blas.vendor", "unknown")),
                intOf(env.get("cores")), intOf(env.get("omp.threads")), longOf(env.get("memory.available")), devices);
    }

    /** The devices of ND4J's environment information (the CUDA backend's list of property maps). */
    static List<ComputeDevice> devices(Properties env) {
        List<ComputeDevice> out = new ArrayList<>();
        if (env.get("cuda.devicesInformation") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    int major = intOf(m.get("cuda.deviceMajor"));
                    int minor = intOf(m.get("cuda.deviceMinor"));
                    out.add(new ComputeDevice(out.size(), String.valueOf(m.get("cuda.deviceName")), major, minor,
                            longOf(m.get("cuda.totalMemory")), CudaSupport.supports(major, minor)));
                }
            }
        }
        return List.copyOf(out);
    }

    static String simdLevel(int level) {
        return level >= 0 && level < SIMD_LEVELS.size() ? SIMD_LEVELS.get(level) : "level " + level;
    }

    /** The vector flags of the first processor in a /proc/cpuinfo file, in {@link #VECTOR_FLAGS} order. */
    static List<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags") || line.startsWith("Features")) {
                    List<String> present = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return VECTOR_FLAGS.stream().filter(present::contains).toList();
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (macOS, Windows): the SIMD levels still say what matters
        }
        return List.of();
    }

    private static String cpuClassifier() {
        ClassLoader loader = BackendReport.class.getClassLoader();
        for (String c : CPU_CLASSIFIERS) {
            if (loader.getResource("org/nd4j/linalg/cpu/nativecpu/bindings/" + c + "/") != null) {
                return "nd4j-native " + c;
            }
        }
        return "nd4j-native";
    }

    private static String readNd4jVersion() {
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : o == null ? 0 : Integer.parseInt(o.toString().trim());
    }

    private static long longOf(Object o) {
        return o instanceof Number n ? n.longValue() : o == null ? 0 : Long.parseLong(o.toString().trim());
    }
}
