package dev.sit.core.engine;

import dev.sit.api.sampling.SolverStats;
import dev.sit.core.image.NpzWriter;
import dev.sit.core.image.PngWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Mass sampling for FID (the reference's {@code sample_ddp.py}): {@code N} images in batches of
 * {@code B} as {@code <dir>/000000.png}... and then {@code <dir>.npz} ({@code arr_0} uint8
 * (N, H, W, 3), the ADM evaluation suite's input) built from those PNGs.
 *
 * <p>Every image's initial noise, SDE noise and label are seeded by its <em>global index</em>, so
 * with a fixed-grid solver image {@code i} is the same whatever the batch size, the partition of
 * the index range or the process that sampled it. Batches still cover {@code [b B, (b + 1) B)} and
 * are always sampled at full size {@code B}: adaptive solvers (dopri5) measure their error over the
 * whole batch, so for them the images depend on {@code B} (the batch size is one of the settings),
 * but not on the partitioning, as long as partitions are made of whole batches. An interrupted run
 * resumes at the first missing image, never rewrites a finished one, and ends with the same images
 * as an uninterrupted run. A settings file in the folder refuses resuming with other settings.
 *
 * <p>Single process: {@link #run}. Sharded (one process per partition, e.g. Spark tasks):
 * {@link #prepare} on the driver, {@link #sampleRange} in each task, {@link #assemble} on the driver.
 */
public final class MassSampling {

    /** One batch of images (B, 1|3, H, W) in [-1, 1] and what the sampler run cost. */
    public record Batch(INDArray images, SolverStats stats) {
    }

    /** Samples the images of global indices {@code [first, first + count)}. */
    @FunctionalInterface
    public interface BatchSource {
        Batch sample(long first, int count) throws IOException;
    }

    /** What one partition wrote. */
    public record RangeResult(long written, SolverStats lastBatch) {
    }

    static final String SETTINGS_FILE = "sampling-settings.yaml";

    private final long total;
    private final int batchSize;
    private final Path dir;
    private final String settings;
    private final BatchSource source;
    private int batchLimit = Integer.MAX_VALUE;
    private Path archive;
    private boolean archived;

    /**
     * @param settings a text that identifies everything the images depend on (model, weights,
     *                 transport, sampler, seed, batch size; not N); resuming with other settings is refused
     */
    MassSampling(long total, int batchSize, Path dir, String settings, BatchSource source) {
        if (total < 1 || batchSize < 1) {
            throw new IllegalArgumentException("mass sampling needs num_fid_samples >= 1 and per_proc_batch_size >= 1, got "
                    + total + " and " + batchSize);
        }
        this.total = total;
        this.batchSize = batchSize;
        this.dir = dir;
        this.settings = settings;
        this.source = source;
    }

    /** Stops after this many batches in this call, as an interruption would (for tests). */
    MassSampling stopAfterBatches(int batches) {
        this.batchLimit = batches;
        return this;
    }

    /**
     * Where samples of other settings go instead of being refused: a run's own evaluation folder
     * after the run was resumed and trained further holds samples of older weights, which are kept
     * (moved here with their archive) rather than mixed with the new ones or deleted. Null: refused.
     */
    MassSampling archiveOtherSettingsTo(Path folder) {
        this.archive = folder;
        return this;
    }

    public long total() {
        return total;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The folder of the PNGs. */
    public Path dir() {
        return dir;
    }

    /** The archive written next to the folder. */
    public Path npz() {
        return dir.resolveSibling(dir.getFileName() + ".npz");
    }

    /** Samples what is missing; returns the .npz once all N images exist, else null (stopped early). */
    public Path run(RunListener listener) throws IOException {
        long done = prepare();
        if (archived) {
            listener.info("the samples of earlier settings in " + dir + " were moved to " + archive);
        }
        long batches = (total + batchSize - 1) / batchSize;
        if (done > 0) {
            listener.info(String.format(Locale.ROOT, "resuming: %d of %d images already in %s", Math.min(done, total), total, dir));
        }
        long started = System.nanoTime();
        long sampled = 0;
        int run = 0;
        SolverStats last = null;
        listener.stageStarted(Stage.SAMPLE, "mass sampling into " + dir, total, Math.min(done, total));
        try {
            for (long b = done / batchSize; b < batches && done < total; b++) {
                if (run++ >= batchLimit) {
                    listener.stageFinished(Stage.SAMPLE, String.format(Locale.ROOT,
                            "stopped after %d batches: %d of %d images in %s", batchLimit, done, total, dir));
                    return null;
                }
                long first = b * batchSize;
                long end = Math.min(first + batchSize, total);
                // images before 'done' are finished files of an earlier run: never rewritten
                long from = Math.max(first, done);
                Batch batch = sampleBatch(b);
                last = batch.stats();
                write(batch, first, from, end, dir);
                sampled += end - from;
                done = end;
                double seconds = (System.nanoTime() - started) / 1e9;
                listener.progress(Stage.SAMPLE, done, String.format(Locale.ROOT, "%.2f images/s | NFE %d per batch of %d",
                        seconds > 0 ? sampled / seconds : 0.0, batch.stats().functionEvaluations(), batchSize));
            }
        } catch (IOException | RuntimeException e) {
            listener.stageFinished(Stage.SAMPLE, "mass sampling stopped at " + done + " of " + total + " images");
            throw e;
        }
        Path npz = NpzWriter.fromSampleFolder(dir, total);
        listener.stageFinished(Stage.SAMPLE, String.format(Locale.ROOT, "%d samples in %s%s", total, dir,
                last == null ? "" : "; each batch of " + batchSize + ": " + last.summary()));
        listener.fileWritten(npz, "evaluation archive (arr_0 uint8 (N, H, W, 3))");
        return npz;
    }

    /**
     * The driver's first step: makes the folder, checks (or writes) its settings file, and returns
     * how many images exist from index 0 on.
     */
    public long prepare() throws IOException {
        Files.createDirectories(dir);
        checkSettings();
        return PngWriter.countExisting(dir);
    }

    /**
     * One partition's work: samples the whole batches that cover {@code [from, to)} ({@code from} a
     * multiple of B) and writes the images of that range that are not in the folder yet into
     * {@code staging}, then moves them into the folder; a failed attempt leaves its files only in
     * its staging folder, which the next attempt and {@link #assemble} delete.
     */
    public RangeResult sampleRange(long from, long to, Path staging) throws IOException {
        return sampleRange(from, to, staging, first -> {
        });
    }

    /** As {@link #sampleRange(long, long, Path)}, telling {@code staged} the first index of each batch staged. */
    public RangeResult sampleRange(long from, long to, Path staging, java.util.function.LongConsumer staged)
            throws IOException {
        if (from % batchSize != 0 || from < 0 || to > total || from >= to) {
            throw new IllegalArgumentException("a partition must be whole batches of " + batchSize + " within [0, " + total
                    + "), got [" + from + ", " + to + ")");
        }
        deleteFolder(staging);
        Files.createDirectories(staging);
        long written = 0;
        SolverStats last = null;
        for (long first = from; first < to; first += batchSize) {
            long end = Math.min(first + batchSize, to);
            long missing = first;
            while (missing < end && Files.isRegularFile(dir.resolve(PngWriter.sampleName(missing)))) {
                missing++;
            }
            if (missing == end) {
                continue;
            }
            Batch batch = sampleBatch(first / batchSize);
            last = batch.stats();
            write(batch, first, missing, end, staging);
            written += end - missing;
            staged.accept(first);
        }
        for (long i = from; i < to; i++) {
            Path file = staging.resolve(PngWriter.sampleName(i));
            if (Files.isRegularFile(file)) {
                Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        deleteFolder(staging);
        return new RangeResult(written, last);
    }

    /** The driver's last step: every image must exist; writes the .npz. */
    public Path assemble(RunListener listener) throws IOException {
        Path npz = NpzWriter.fromSampleFolder(dir, total);
        listener.fileWritten(npz, "evaluation archive (arr_0 uint8 (N, H, W, 3))");
        return npz;
    }

    private Batch sampleBatch(long b) throws IOException {
        Batch batch = source.sample(b * batchSize, batchSize);
        INDArray images = batch.images();
        if (images.size(0) != batchSize) {
            throw new IllegalStateException("batch " + b + " has " + images.size(0) + " images, expected "
                    + batchSize + " (shape " + Arrays.toString(images.shape()) + ")");
        }
        return batch;
    }

    /** Writes images {@code [from, end)} of the batch starting at {@code first} into {@code target}. */
    private static void write(Batch batch, long first, long from, long end, Path target) throws IOException {
        if (from < end) {
            INDArray fresh = batch.images().get(NDArrayIndex.interval(from - first, end - first));
            PngWriter.writeSamples(fresh, target, from);
        }
    }

    private static void deleteFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(folder);
    }

    private void checkSettings() throws IOException {
        Path file = dir.resolve(SETTINGS_FILE);
        if (Files.isRegularFile(file)) {
            String before = Files.readString(file, StandardCharsets.UTF_8);
            if (before.equals(settings)) {
                return;
            }
            if (archive == null) {
                throw new IllegalArgumentException("the sample folder " + dir + " holds samples of other settings ("
                        + firstDifference(before, settings) + "); resuming would mix them: choose another folder "
                        + "(--sample-dir) or delete it");
            }
            moveToArchive(); // the folder starts again, empty, with the new settings
            Files.createDirectories(dir);
        } else if (PngWriter.countExisting(dir) > 0) {
            throw new IllegalArgumentException("the sample folder " + dir + " already holds samples but no "
                    + SETTINGS_FILE + ", so they cannot be resumed safely: choose another folder or delete it");
        }
        Files.writeString(file, settings, StandardCharsets.UTF_8);
    }

    private void moveToArchive() throws IOException {
        if (Files.exists(archive)) {
            throw new IllegalStateException("cannot keep the samples of earlier settings in " + dir + ": " + archive
                    + " already exists; move one of them away");
        }
        Files.move(dir, archive);
        // the archive and what was derived from it (feature caches named <archive>.<...>) go along
        String name = npz().getFileName().toString();
        try (var siblings = Files.list(dir.getParent())) {
            for (Path f : (Iterable<Path>) siblings::iterator) {
                String n = f.getFileName().toString();
                if (Files.isRegularFile(f) && (n.equals(name) || n.startsWith(name + "."))) {
                    Files.move(f, archive.resolve(n));
                }
            }
        }
        archived = true;
    }

    private static String firstDifference(String a, String b) {
        String[] x = a.split("\n");
        String[] y = b.split("\n");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String l = i < x.length ? x[i].trim() : "(nothing)";
            String r = i < y.length ? y[i].trim() : "(nothing)";
            if (!l.equals(r)) {
                return "was '" + l + "', now '" + r + "'";
            }
        }
        return "they differ";
    }
}
