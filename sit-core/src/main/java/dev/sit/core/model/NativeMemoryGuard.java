package dev.sit.core.model;

/**
 * Keeps repeated graph evaluations from piling up native memory. Each SameDiff evaluation leaves
 * arrays whose off-heap buffers are freed only when the JVM collects them; the Java heap stays small,
 * so the JVM rarely collects on its own and resident memory grows by tens of MB per forward pass
 * (measured on SiT-S/2, batch 8: 0.94 GB to 1.94 GB over 30 passes; flat at 0.97 GB with a collection
 * after each). This guard runs {@code System.gc()} after a step only when resident memory has grown
 * by more than a threshold since the last collection, so small models are never slowed down.
 */
public final class NativeMemoryGuard {

    /** Default growth allowed between collections. */
    public static final long DEFAULT_THRESHOLD_BYTES = 256L << 20;
    private static final int CALLS_WITHOUT_PROC = 8;

    private final long thresholdBytes;
    private long baseline = -1;
    private int calls;

    public NativeMemoryGuard(long thresholdBytes) {
        this.thresholdBytes = thresholdBytes;
    }

    public NativeMemoryGuard() {
        this(DEFAULT_THRESHOLD_BYTES);
    }

    /** Call after each evaluation; collects garbage when resident memory grew past the threshold. */
    public void afterStep() {
        long rss = ProcessMemory.residentBytes();
        if (rss < 0) {
            // no /proc (not Linux): collect every few calls
            if (++calls % CALLS_WITHOUT_PROC == 0) {
                System.gc();
            }
            return;
        }
        if (baseline < 0) {
            baseline = rss;
        } else if (rss > baseline + thresholdBytes) {
            System.gc();
            baseline = ProcessMemory.residentBytes();
        }
    }
}
