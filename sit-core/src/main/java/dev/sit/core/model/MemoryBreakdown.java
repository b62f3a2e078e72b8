package dev.sit.core.model;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * Where this process's resident memory goes, at one moment: the Java heap (committed and used), the
 * native memory JavaCPP tracks, and the native memory outside both, which is where ND4J keeps every
 * array on the CPU backend (weights, activations, gradients, SameDiff's cache of freed arrays; ND4J
 * 1.0.0-M2.1 allocates them outside JavaCPP's accounting, so no counter gives them apart) together with
 * the native libraries and what malloc keeps of freed memory.
 *
 * @param residentBytes      VmRSS
 * @param peakBytes          VmHWM
 * @param heapUsedBytes      live and not yet collected Java objects
 * @param heapCommittedBytes the heap the JVM holds from the OS (an upper bound of its resident part)
 * @param trackedNativeBytes JavaCPP's {@code Pointer.totalBytes()}
 */
public record MemoryBreakdown(long residentBytes, long peakBytes, long heapUsedBytes, long heapCommittedBytes,
                              long trackedNativeBytes) {

    /** The figures now. */
    public static MemoryBreakdown now() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new MemoryBreakdown(ProcessMemory.residentBytes(), ProcessMemory.peakResidentBytes(), heap.getUsed(),
                heap.getCommitted(), Pointer.totalBytes());
    }

    /** Resident memory outside the committed heap and JavaCPP's accounting: ND4J's arrays, libraries, malloc. */
    public long untrackedNativeBytes() {
        return residentBytes - heapCommittedBytes - trackedNativeBytes;
    }

    /**
     * One line, e.g. {@code RSS 3.10 GB = heap 0.12 (used 0.05) + JavaCPP 0.00 + ND4J arrays, libraries and
     * malloc 2.98 (weights 2.70); peak 3.50 GB}.
     *
     * @param weightsBytes the model's weights, which are part of the native share
     */
    public String describe(long weightsBytes) {
        return String.format(Locale.ROOT, "RSS %.2f GB = heap %.2f (used %.2f) + JavaCPP %.2f + ND4J arrays, libraries"
                        + " and malloc %.2f (weights %.2f); peak %.2f GB", residentBytes / 1e9, heapCommittedBytes / 1e9,
                heapUsedBytes / 1e9, trackedNativeBytes / 1e9, untrackedNativeBytes() / 1e9, weightsBytes / 1e9,
                peakBytes / 1e9);
    }
}
