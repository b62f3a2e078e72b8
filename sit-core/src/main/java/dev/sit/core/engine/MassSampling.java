package dev.sit.core.engine;

import dev.sit.api.sampling.SolverStats;
import dev.sit.core.image.NpzWriter;
import dev.sit.core.image.PngWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Mass sampling for FID (the reference's {@code sample_ddp.py}): {@code N} images in batches of
 * {@code B} as {@code <dir>/000000.png}... and then {@code <dir>.npz} ({@code arr_0} uint8
 * (N, H, W, 3), the ADM evaluation suite's input) built from those PNGs. Batch {@code b} covers
 * images {@code [b B, (b + 1) B)} and depends only on {@code b} (its labels and noise come from
 * seeds derived from the batch index, and it is always sampled at full size {@code B}, because
 * adaptive solvers measure the error over the whole batch), so an interrupted run resumes at the
 * first missing image, never rewrites a finished one, and ends with the same images as an
 * uninterrupted run. A settings file in the folder refuses resuming with other settings.
 */
final class MassSampling {

    /** One batch of images (B, 1|3, H, W) in [-1, 1] and what the sampler run cost. */
    record Batch(INDArray images, SolverStats stats) {
    }

    /** Samples batch {@code b} (full size {@code B}). */
    @FunctionalInterface
    interface BatchSource {
        Batch sample(int batchIndex) throws IOException;
    }

    static final String SETTINGS_FILE = "sampling-settings.yaml";

    private final long total;
    private final int batchSize;
    private final Path dir;
    private final String settings;
    private int batchLimit = Integer.MAX_VALUE;

    /**
     * @param settings a text that identifies everything the images depend on (model, weights,
     *                 transport, sampler, seed, batch size; not N); resuming with other settings is refused
     */
    MassSampling(long total, int batchSize, Path dir, String settings) {
        if (total < 1 || batchSize < 1) {
            throw new IllegalArgumentException("mass sampling needs num_fid_samples >= 1 and per_proc_batch_size >= 1, got "
                    + total + " and " + batchSize);
        }
        this.total = total;
        this.batchSize = batchSize;
        this.dir = dir;
        this.settings = settings;
    }

    /** Stops after this many batches in this call, as an interruption would (for tests). */
    MassSampling stopAfterBatches(int batches) {
        this.batchLimit = batches;
        return this;
    }

    /** The archive written next to the folder. */
    Path npz() {
        return dir.resolveSibling(dir.getFileName() + ".npz");
    }

    /** Samples what is missing; returns the .npz once all N images exist, else null (stopped early). */
    Path run(BatchSource source, RunListener listener) throws IOException {
        Files.createDirectories(dir);
        checkSettings();
        long done = PngWriter.countExisting(dir);
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
                Batch batch = source.sample((int) b);
                last = batch.stats();
                INDArray images = batch.images();
                if (images.size(0) != batchSize) {
                    throw new IllegalStateException("batch " + b + " has " + images.size(0) + " images, expected "
                            + batchSize + " (shape " + Arrays.toString(images.shape()) + ")");
                }
                long first = b * batchSize;
                long end = Math.min(first + batchSize, total);
                // images before 'done' are finished files of an earlier run: never rewritten
                long from = Math.max(first, done);
                if (from < end) {
                    INDArray fresh = images.get(NDArrayIndex.interval(from - first, end - first));
                    PngWriter.writeSamples(fresh, dir, from);
                    sampled += end - from;
                    done = end;
                }
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

    private void checkSettings() throws IOException {
        Path file = dir.resolve(SETTINGS_FILE);
        if (Files.isRegularFile(file)) {
            String before = Files.readString(file, StandardCharsets.UTF_8);
            if (!before.equals(settings)) {
                throw new IllegalArgumentException("the sample folder " + dir + " holds samples of other settings ("
                        + firstDifference(before, settings) + "); resuming would mix them: choose another folder "
                        + "(--sample-dir) or delete it");
            }
            return;
        }
        if (PngWriter.countExisting(dir) > 0) {
            throw new IllegalArgumentException("the sample folder " + dir + " already holds samples but no "
                    + SETTINGS_FILE + ", so they cannot be resumed safely: choose another folder or delete it");
        }
        Files.writeString(file, settings, StandardCharsets.UTF_8);
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
