package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The evaluation entry point: the metrics of a sample set against a reference, as ADM's suite
 * computes them (FID and sFID as Fréchet distances, sample = first argument of the distance;
 * Inception Score of the samples; precision and recall with k nearest neighbours), each computed
 * where the inputs allow it. The CLI's {@code sit eval metrics}, the run engine's {@code eval}
 * stage and library users call this.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * Evaluates; {@code extractor} is asked for at most once, and only when one side holds images
     * (return null from it when none is configured). Progress lines go to {@code progress} (may be null).
     */
    public static EvalResult evaluate(EvalInput reference, EvalInput sample, Supplier<FeatureExtractor> extractor,
            EvalSettings settings, PrintStream progress) throws IOException {
        Supplier<FeatureExtractor> once = memoize(extractor);
        FeatureSet ref = reference.load(once, settings, progress);
        FeatureSet smp = sample.load(once, settings, progress);
        FeatureExtractor used = reference.needsExtractor() || sample.needsExtractor() ? once.get() : null;
        return evaluate(ref, smp, settings, used == null ? "" : used.fingerprint());
    }

    /**
     * The features of images at hand (for example the real images of {@code reference: data}, or
     * samples just drawn) as one side of an evaluation.
     */
    public static FeatureSet features(String source, FeatureExtractor extractor, ImageSource images,
            EvalSettings settings, PrintStream progress) throws IOException {
        var layers = FeatureExtraction.run(extractor, images, settings.batch(), progress);
        return new FeatureSet(source, images.count(), layers, Optional.empty(), Optional.empty());
    }

    /** The metrics of two loaded feature sets. */
    public static EvalResult evaluate(FeatureSet ref, FeatureSet sample, EvalSettings settings, String extractor) {
        Double fid = distance(sample.poolStatistics(), ref.poolStatistics());
        Double sfid = distance(sample.spatialStatistics(), ref.spatialStatistics());
        Double is = sample.layer(FeatureExtractor.SOFTMAX).map(p -> InceptionScore.of(p, settings.splitSize()))
                .orElse(null);
        Double precision = null;
        Double recall = null;
        Optional<INDArray> refPool = ref.layer(FeatureExtractor.POOL);
        Optional<INDArray> smpPool = sample.layer(FeatureExtractor.POOL);
        if (refPool.isPresent() && smpPool.isPresent()) {
            PrecisionRecall pr = PrecisionRecall.of(refPool.get(), smpPool.get(), settings.k(), 1024);
            precision = pr.precision();
            recall = pr.recall();
        }
        return new EvalResult(fid, sfid, is, precision, recall, ref.count(), sample.count(), extractor,
                scoreMeans(sample), scoreMeans(ref));
    }

    /** The mean of every per-image score layer, keyed by its name without the prefix. */
    private static Map<String, Double> scoreMeans(FeatureSet set) {
        Map<String, Double> means = new TreeMap<>(); // sorted: eval.json has one key order
        set.layers().forEach((name, values) -> {
            if (name.startsWith(FeatureExtractor.SCORE_PREFIX) && values.length() > 0) {
                means.put(name.substring(FeatureExtractor.SCORE_PREFIX.length()),
                        values.castTo(DataType.DOUBLE).meanNumber().doubleValue());
            }
        });
        return means;
    }

    private static Double distance(Optional<FeatureStatistics> a, Optional<FeatureStatistics> b) {
        return a.isPresent() && b.isPresent() ? FrechetDistance.between(a.get(), b.get()) : null;
    }

    private static Supplier<FeatureExtractor> memoize(Supplier<FeatureExtractor> s) {
        return new Supplier<>() {
            private boolean asked;
            private FeatureExtractor value;

            @Override
            public synchronized FeatureExtractor get() {
                if (!asked) {
                    value = s.get();
                    asked = true;
                }
                return value;
            }
        };
    }
}
