package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the environment settings that sit doctor reports. */
class ComputeSettingsTest {

    @Test
    void hugePagesAreOnOnlyWhenAHugetlbTunableSaysSo() {
        assertThat(ComputeSettings.hugePagesRequested("glibc.malloc.hugetlb=1")).isTrue();
        assertThat(ComputeSettings.hugePagesRequested("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2")).isTrue();
        assertThat(ComputeSettings.hugePagesRequested("glibc.malloc.hugetlb=0")).isFalse();
        assertThat(ComputeSettings.hugePagesRequested("glibc.malloc.arena_max=2")).isFalse();
        assertThat(ComputeSettings.hugePagesRequested("glibc.malloc.hugetlb=10")).isFalse();
        assertThat(ComputeSettings.hugePagesRequested("")).isFalse();
        assertThat(ComputeSettings.hugePagesRequested(null)).isFalse();
    }

    @Test
    void jemallocIsSeenOnlyWhenItsLibraryIsMapped() {
        String libc = "7f2a1c000000-7f2a1c022000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6";
        String jemalloc = "7f2a1d000000-7f2a1d0a0000 r-xp 00000000 08:01 5678 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
        assertThat(ComputeSettings.jemallocMapped(List.of(libc, jemalloc))).isTrue();
        assertThat(ComputeSettings.jemallocMapped(List.of(libc))).isFalse();
        assertThat(ComputeSettings.jemallocMapped(List.of("7f00-7f01 r--p 0 0:0 1 /opt/libjemalloc-build/libnd4jcpu.so")))
                .isFalse();
        assertThat(ComputeSettings.jemallocMapped(List.of())).isFalse();
    }

    @Test
    void eachMemoryModeSaysWhatItIsAndHowToChangeIt() {
        assertThat(ComputeSettings.memoryMode(false, true, null, true))
                .startsWith("default: jemalloc reuses freed memory, SameDiff's array cache off")
                .contains("SIT_LOW_MEMORY=1").doesNotContain("GLIBC_TUNABLES");
        assertThat(ComputeSettings.memoryMode(true, true, null, true))
                .startsWith("jemalloc with SameDiff's array cache on")
                .contains("-Dorg.nd4j.autodiff.samediff=false");
        assertThat(ComputeSettings.memoryMode(true, false, null, false))
                .startsWith("default: SameDiff reuses freed arrays")
                .contains("apt-get install libjemalloc2", "SIT_ALLOCATOR=glibc", "SIT_LOW_MEMORY=1", "set GLIBC_TUNABLES=glibc.malloc.hugetlb=1");
        assertThat(ComputeSettings.memoryMode(false, false, "131072", true))
                .startsWith("low: SameDiff's array cache off, glibc returns freed memory (MALLOC_TRIM_THRESHOLD_=131072)")
                .endsWith("malloc asks for transparent huge pages");
        assertThat(ComputeSettings.memoryMode(false, false, null, true))
                .contains("glibc keeps freed memory (set MALLOC_ARENA_MAX=2");
    }
}
