package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

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
}
