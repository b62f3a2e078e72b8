package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.progress.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs a feature extractor over an image source batch by batch: memory holds one batch of
 * images and activations plus the (N, D) feature matrices. A progress line reports images/s.
 */
public final class FeatureExtraction {

    private FeatureExtraction() {
    }

    /**
     * The features of the images {@code [from, to)} of {@code images} (which this closes), as {@link #run} computes
     * them when {@code from} is a multiple of the batch size: the extractor sees the same batches, so a cluster task's
     * rows are the rows of a single-process run, bit for bit.
     */
    public static Map<String, INDArray> runRange(FeatureExtractor extractor, ImageSource images, long from, long to,
            int batch) throws IOException {
        try (ImageSource range = new ImageRange(images, from, to)) {
            return run(extractor, range, batch, null);
        }
    }

    /** The features of every image of {@code images}, one (N, D) float matrix per layer of the extractor. */
    public static Map<String, INDArray> run(FeatureExtractor extractor, ImageSource images, int batch,
            PrintStream progress) throws IOException {
        long n = images.count();
        int b = batch > 0 ? batch : extractor.batchSize();
        Map<String, INDArray> out = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (ProgressBar bar = progress == null ? null : new ProgressBar("features", n, 0, progress)) {
            long done = 0;
            while (done < n) {
                INDArray x = images.next(b);
                if (x.size(0) == 0) {
                    throw new IOException("the image source ended after " + done + " of " + n + " images");
                }
                Map<String, INDArray> f = extractor.extract(x);
                for (String layer : extractor.layers()) {
                    INDArray part = f.get(layer);
                    if (part == null || part.rank() != 2 || part.size(0) != x.size(0)) {
                        throw new IllegalStateException("feature extractor returned " + (part == null ? "no layer '"
                                + layer + "'" : "'" + layer + "' of shape " + Arrays.toString(part.shape()))
                                + " for " + x.size(0) + " images; it must return (N, D) for every layer it lists");
                    }
                    INDArray all = out.computeIfAbsent(layer, k -> Nd4j.create(DataType.FLOAT, n, part.size(1)));
                    all.get(NDArrayIndex.interval(done, done + x.size(0)), NDArrayIndex.all())
                            .assign(part.castTo(DataType.FLOAT));
                }
                done += x.size(0);
                if (bar != null) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    bar.update(done, String.format(Locale.ROOT, "%.1f img/s", done / Math.max(seconds, 1e-9)));
                }
                // ND4J frees off-heap activations only when their Java handles are collected (see AutoencoderKl)
                if (done < n) {
                    System.gc();
                }
            }
        }
        return out;
    }
}
