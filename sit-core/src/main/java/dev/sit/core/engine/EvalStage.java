package dev.sit.core.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.inject.Inject;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;
import dev.sit.api.eval.FeatureExtractor;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.core.config.EvalSection;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.eval.EvalInput;
import dev.sit.core.eval.EvalResult;
import dev.sit.core.eval.EvalSettings;
import dev.sit.core.eval.Evaluation;
import dev.sit.core.eval.FeatureSet;
import dev.sit.core.eval.ImageSource;
import dev.sit.core.image.Quantization;
import dev.sit.core.io.AtomicFile;
import dev.sit.core.model.SitConfig;
import dev.sit.core.train.RunFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code eval:} stage: {@code num_samples} images drawn with one {@code sample:} entry's
 * settings (mass sampling, resumable, in {@code eval/}), their features from the configured
 * extractor, and the ADM metrics against the reference (a file, or real images of the
 * experiment's data source). The numbers go to {@code eval.json} in the run folder, to every
 * logger (as {@code eval/fid}, ...) and to the listener.
 */
final class EvalStage {

    /** The keys of {@code eval.json} and of the logged scalars ({@code eval/<key>}). */
    static final String FILE = "eval.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ResolvedExperiment resolved;
    private final SitConfig config;
    private final List<MetricsLogger> loggers;
    private final RunListener listener;

    @Inject
    EvalStage(ResolvedExperiment resolved, SitConfig config, List<MetricsLogger> loggers, RunListener listener) {
        this.resolved = resolved;
        this.config = config;
        this.loggers = loggers;
        this.listener = listener;
    }

    /**
     * Evaluates the weights sampling uses ({@code trainedEma} of {@code step}, or the sampler's
     * checkpoint); writes {@code eval.json}.
     */
    EvalResult run(RunFolder folder, SampleStage sampling, Map<String, INDArray> trainedEma, long step) throws IOException {
        EvalSection ev = resolved.experiment().eval();
        ResolvedSampler sampler = sampling.samplers().get(ev.sampler());
        listener.stageStarted(Stage.EVAL, "evaluation: " + ev.numSamples() + " samples of " + sampler.baseName()
                + " against " + ev.reference(), 0, 0);
        Path dir = folder.path().resolve("eval").resolve(sampler.baseName());
        // a run resumed to train further evaluates new weights: the earlier evaluation is kept beside them
        Path earlier = dir.resolveSibling(sampler.baseName() + ".before-step" + step);
        Path npz = sampling.massSampleImages(ev.sampler(), trainedEma, step, ev.numSamples(), dir, earlier);
        Path earlierResults = folder.path().resolve(FILE);
        if (Files.isDirectory(earlier) && Files.isRegularFile(earlierResults) && !Files.exists(earlier.resolve(FILE))) {
            Files.move(earlierResults, earlier.resolve(FILE));
        }
        if (npz == null) {
            listener.stageFinished(Stage.EVAL, "evaluation stopped: mass sampling did not finish");
            return null;
        }
        EvalSettings settings = ev.settings();
        FeatureExtractor extractor = resolved.create("eval.feature_extractor", ExtensionPoint.FEATURE_EXTRACTOR);
        try (PrintStream progress = progressLines()) {
            FeatureSet samples = EvalInput.detect(npz, "eval samples").load(() -> extractor, settings, progress);
            FeatureSet reference = ev.referencesData()
                    ? Evaluation.features("data.source", extractor, ImageSource.of(realImages(ev.numSamples())),
                    settings, progress)
                    : EvalInput.detect(ev.referencePath(resolved.baseDir()), "eval.reference")
                    .load(() -> extractor, settings, progress);
            EvalResult result = Evaluation.evaluate(reference, samples, settings, extractor.fingerprint());
            report(folder, step, result);
            return result;
        } finally {
            extractor.close();
        }
    }

    private void report(RunFolder folder, long step, EvalResult result) throws IOException {
        AtomicFile.write(folder.path().resolve(FILE), JSON.writeValueAsBytes(result.toJson()));
        Map<String, Double> scalars = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder("evaluation (" + result.extractor() + ", " + result.sampleCount()
                + " samples vs " + result.referenceCount() + " reference):");
        result.metrics().forEach((k, v) -> {
            if (v instanceof Double d) {
                scalars.put("eval/" + k, d);
                line.append(String.format(Locale.ROOT, " %s %.4f", k, d));
            }
        });
        for (MetricsLogger logger : loggers) {
            logger.logScalars(step, scalars);
        }
        listener.stepLogged(step, Map.copyOf(scalars));
        listener.fileWritten(folder.path().resolve(FILE), "evaluation results");
        listener.stageFinished(Stage.EVAL, line.toString());
    }

    /**
     * {@code n} real images of the data source as uint8 (N, H, W, C), spread evenly over it, quantised
     * as mass samples are (so identical images give identical bytes).
     */
    private INDArray realImages(long n) throws IOException {
        int imageSize = resolved.experiment().data().vae().equalsIgnoreCase("none")
                ? config.inputSize() : config.inputSize() * 8;
        DatasetSource source = resolved.create("data.source", ExtensionPoint.DATASET_SOURCE);
        try (Dataset data = source.open(new DatasetContext(resolved.baseDir(), imageSize, resolved.experiment().seed(),
                resolved.experiment().data().numWorkers()))) {
            long count = Math.min(n, data.size());
            long[] indices = new long[(int) count];
            for (int i = 0; i < count; i++) {
                indices[i] = i * data.size() / count;
            }
            return Quantization.ADM_SAMPLES.toNhwcArray(data.load(indices, 0).x());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("reading the real images of data.source: " + e.getMessage(), e);
        }
    }

    /** Feature extraction's progress lines, handed to the listener line by line. */
    private PrintStream progressLines() {
        return new PrintStream(new ByteArrayOutputStream() {
            @Override
            public synchronized void flush() {
                String text = toString(StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                if (end >= 0) {
                    for (String l : text.substring(0, end).split("\n")) {
                        listener.info(l.replace("\r", "").trim());
                    }
                    reset();
                    write(text.substring(end + 1).getBytes(StandardCharsets.UTF_8), 0,
                            text.substring(end + 1).getBytes(StandardCharsets.UTF_8).length);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }
}
