package dev.sit.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaSupportTest {

    @TempDir
    Path dir;

    @Test
    void supportFollowsTheCuda116KernelsAndBinaryCompatibility() {
        assertThat(CudaSupport.supports(3, 5)).as("K80 class, CUDA 11's minimum").isTrue();
        assertThat(CudaSupport.supports(3, 0)).as("below CUDA 11").isFalse();
        assertThat(CudaSupport.supports(7, 0)).as("V100").isTrue();
        assertThat(CudaSupport.supports(8, 0)).as("A100").isTrue();
        assertThat(CudaSupport.supports(8, 6)).as("RTX 30xx, the highest built").isTrue();
        assertThat(CudaSupport.supports(8, 9)).as("Ada runs sm_86 cubins").isTrue();
        assertThat(CudaSupport.supports(9, 0)).as("H100: no sm_90, no PTX").isFalse();
        assertThat(CudaSupport.supports(10, 0)).as("Blackwell").isFalse();
    }

    private static Properties cudaEnvironment(String name, int major, int minor) {
        Properties env = new Properties();
        env.put("backend", "CUDA");
        env.put("cuda.devicesInformation", List.of(Map.of("cuda.deviceName", name, "cuda.deviceMajor", major,
                "cuda.deviceMinor", minor, "cuda.totalMemory", 85_000_000_000L, "cuda.freeMemory", 84_000_000_000L)));
        return env;
    }

    private static BackendReport cudaReport(Properties env) {
        return new BackendReport("CUDA", "1.0.0-M2.1", "nd4j-cuda-11.6", "generic", "AVX2", List.of(), "CUBLAS", 16, 16,
                1L << 36, BackendReport.devices(env));
    }

    @Test
    void anH100StopsTheRunWithTheDeviceAndTheSupportMatrix() {
        BackendReport h100 = cudaReport(cudaEnvironment("NVIDIA H100 80GB HBM3", 9, 0));
        assertThat(h100.devices()).singleElement().satisfies(d -> {
            assertThat(d.computeCapability()).isEqualTo("9.0");
            assertThat(d.totalMemory()).isEqualTo(85_000_000_000L);
            assertThat(d.supported()).isFalse();
        });
        assertThatThrownBy(() -> CudaSupport.requireSupported(h100))
                .isInstanceOf(UnsupportedGpuException.class)
                .hasMessageContaining("GPU 0 (NVIDIA H100 80GB HBM3) has compute capability 9.0")
                .hasMessageContaining("mvn -Pcuda")
                .hasMessageContaining("CPU build")
                .hasMessageContaining("sit doctor")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void anA100AndTheCpuBackendPass() {
        BackendReport a100 = cudaReport(cudaEnvironment("NVIDIA A100-SXM4-40GB", 8, 0));
        assertThat(a100.devices()).singleElement().extracting(ComputeDevice::supported).isEqualTo(true);
        assertThatCode(() -> CudaSupport.requireSupported(a100)).doesNotThrowAnyException();
        assertThatCode(CudaSupport::requireSupported).doesNotThrowAnyException();
    }

    @Test
    void theCpuBackendOnThisMachineReportsItsBuildAndSimdLevels() {
        BackendReport r = BackendReport.inspect();
        assertThat(r.backend()).isEqualTo("CPU");
        assertThat(r.isCuda()).isFalse();
        assertThat(r.devices()).isEmpty();
        assertThat(r.nd4jVersion()).isEqualTo("1.0.0-M2.1");
        // the pom's default classifier is the oneDNN AVX2 build, and it reports AVX2 itself
        assertThat(r.build()).isEqualTo("nd4j-native linux-x86_64-onednn-avx2");
        assertThat(r.buildSimd()).isEqualTo("AVX2");
        assertThat(List.of("AVX2", "AVX-512")).contains(r.cpuSimd());
        assertThat(r.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void cpuFlagsAreTheVectorFlagsOfProcCpuinfo() throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Test CPU\n"
                + "flags\t\t: fpu vme sse4_2 avx2 fma avx avx512f avx512bw pdpe1gb\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        assertThat(BackendReport.cpuFlags(cpuinfo)).containsExactly("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw");
        assertThat(BackendReport.cpuFlags(dir.resolve("missing"))).isEmpty();
    }
}
