package dev.sit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.eval.ClusterFeatureExtraction;
import dev.sit.core.eval.EvalInput;
import dev.sit.core.eval.ExtractorRecipe;
import dev.sit.core.eval.EvalResult;
import dev.sit.core.eval.EvalSettings;
import dev.sit.core.eval.Evaluation;
import dev.sit.core.eval.FeatureExtraction;
import dev.sit.core.eval.FeatureFile;
import dev.sit.core.eval.ImageSource;
import dev.sit.core.eval.InceptionScore;
import dev.sit.core.eval.InceptionWeightsNotFoundException;
import dev.sit.core.eval.Preprocessing;
import dev.sit.core.eval.PrecisionRecall;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sit eval features|metrics}: FID, sFID, Inception Score, precision and recall as ADM's
 * evaluation suite computes them, from images, feature files or ADM reference batches.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate samples: FID, sFID, Inception Score, precision and recall as ADM's suite computes them.",
        subcommands = {EvalCommand.Features.class, EvalCommand.Metrics.class, CommandLine.HelpCommand.class})
public final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Which feature extractor, and the Inception options. */
    static final class ExtractorOptions {
        @Option(names = "--inception", paramLabel = "FILE.pth",
                description = "pytorch-fid's pt_inception-2015-12-05-6726825d.pth (download: "
                        + InceptionWeightsNotFoundException.DOWNLOAD_URL + ")")
        Path inception;

        @Option(names = "--preprocess", paramLabel = "adm|pytorch-fid", defaultValue = "adm",
                description = "adm: TF1 resize, (x-128)/128, the SiT/ADM numbers; pytorch-fid: x/255, torch resize,"
                        + " 2x-1 (default: ${DEFAULT-VALUE})")
        String preprocess;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "16",
                description = "images per forward pass; bounds memory, about 1 GB + 75 MB per image (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--extractor", paramLabel = "NAME", defaultValue = "inception",
                description = "feature extractor plugin (see sit plugins): inception, shapes, ... (default: ${DEFAULT-VALUE})")
        String extractor;

        @Mixin
        PluginOptions plugins = new PluginOptions();

        void validate(CommandLine cl) {
            if (Preprocessing.byId(preprocess).isEmpty()) {
                throw new CommandLine.ParameterException(cl, "--preprocess " + preprocess + " is not one of "
                        + Preprocessing.choices());
            }
            if (batch < 1) {
                throw new CommandLine.ParameterException(cl, "--batch must be at least 1, got " + batch);
            }
        }

        boolean isInception() {
            return extractor.toLowerCase(Locale.ROOT).equals("inception");
        }

        /** The extractor; for Inception a missing {@code --inception} says where to download the weights. */
        FeatureExtractor create() {
            return recipe().create("--inception");
        }

        /** What the extractor is made from, with absolute paths (a cluster's executors make it too). */
        ExtractorRecipe recipe() {
            return new ExtractorRecipe(extractor, inception == null ? null : inception.toAbsolutePath().toString(),
                    preprocess, batch, plugins.commandLine().stream().map(p -> p.toAbsolutePath().toString()).toList());
        }
    }

    /** {@code sit eval features}. */
    @Command(name = "features", mixinStandardHelpOptions = true,
            description = "Compute features of images (an .npy/.npz arr_0 of uint8 NHWC images, or a folder of"
                    + " PNG/JPEG) into an .npz holding pool_3, spatial, logits and softmax (Inception).")
    static final class Features implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ExtractorOptions options;

        @Option(names = "--images", required = true, paramLabel = "IMAGES",
                description = ".npy or .npz (arr_0) of uint8 NHWC images, or a folder of images of one size")
        Path images;

        @Option(names = "--out", required = true, paramLabel = "FEATURES.npz", description = "where the features go")
        Path out;

        @Option(names = "--spark", paramLabel = "MASTER", description = "extract on Apache Spark: local[N], "
                + "spark://host:7077, yarn, ... (partitions of whole batches, the extractor made once per executor core;"
                + " the sit-spark module, which ./sit builds on first use; --images and --inception must be readable by"
                + " every executor)")
        String spark;

        @Override
        public Integer call() throws Exception {
            options.validate(spec.commandLine());
            if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out must be an .npz file, got " + out);
            }
            return SitCommand.checkingArguments(() -> {
                PrintStream err = System.err;
                try (ImageSource source = ImageSource.open(images); FeatureExtractor ex = options.create()) {
                    long t0 = System.nanoTime();
                    Map<String, org.nd4j.linalg.api.ndarray.INDArray> layers = spark != null ? onSpark(ex, err)
                            : FeatureExtraction.run(ex, source, options.batch, err);
                    double s = (System.nanoTime() - t0) / 1e9;
                    FeatureFile.write(out, layers);
                    StringBuilder shapes = new StringBuilder();
                    layers.forEach((k, v) -> shapes.append(shapes.length() == 0 ? "" : ", ").append(k)
                            .append(' ').append(java.util.Arrays.toString(v.shape())));
                    System.out.printf(Locale.ROOT, "wrote %s: %s (%d images in %.1f s, %.2f images/s, %s)%n", out, shapes,
                            source.count(), s, source.count() / s, ex.fingerprint());
                }
                return 0;
            });
        }

        /** The features as a cluster job: partitions of whole batches, the rows concatenated here. */
        private Map<String, org.nd4j.linalg.api.ndarray.INDArray> onSpark(FeatureExtractor made, PrintStream err)
                throws Exception {
            ClusterFeatureExtraction cluster = ClusterFeatureExtraction.find("spark").orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "--spark " + spark + ": the sit-spark module"
                            + " and Apache Spark are not on the class path; run through ./sit, which builds them on first"
                            + " use of --spark, or with spark-submit as the README's \"Scaling out\" shows"));
            return cluster.run(new ClusterFeatureExtraction.Request(spark, images.toAbsolutePath().normalize().toString(),
                    options.recipe(), options.batch), made, err);
        }
    }

    /** {@code sit eval metrics}. */
    @Command(name = "metrics", mixinStandardHelpOptions = true,
            description = "FID, sFID, Inception Score, precision and recall of SAMPLE against REF. Each is an image"
                    + " .npz/.npy/folder, a feature .npz (pool_3[, spatial, softmax]) or an ADM reference batch"
                    + " (its stored mu/sigma/mu_s/sigma_s are used as they are).")
    static final class Metrics implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ExtractorOptions options;

        @Option(names = "--ref", required = true, paramLabel = "REF", description = "the reference set")
        Path ref;

        @Option(names = "--sample", required = true, paramLabel = "SAMPLE", description = "the generated set")
        Path sample;

        @Option(names = "--json", description = "print one JSON object: fid, sfid, inception_score, precision, recall"
                + " (null where not computable)")
        boolean json;

        @Option(names = "--split-size", paramLabel = "N", defaultValue = "" + InceptionScore.ADM_SPLIT_SIZE,
                description = "Inception Score split size (default: ${DEFAULT-VALUE}, as ADM)")
        int splitSize;

        @Option(names = "--no-cache", description = "do not read or write cached features next to image files")
        boolean noCache;

        @Override
        public Integer call() throws Exception {
            options.validate(spec.commandLine());
            if (splitSize < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--split-size must be at least 1");
            }
            return SitCommand.checkingArguments(() -> {
                EvalInput r = EvalInput.detect(ref, "--ref");
                EvalInput s = EvalInput.detect(sample, "--sample");
                EvalSettings settings = new EvalSettings(options.batch, splitSize, PrecisionRecall.ADM_K, !noCache);
                // without --inception, an ADM reference batch still gives FID/sFID against feature files
                boolean haveExtractor = !options.isInception() || options.inception != null
                        || r.needsExtractor() || s.needsExtractor();
                EvalResult result = Evaluation.evaluate(r, s, () -> haveExtractor ? options.create() : null, settings,
                        System.err);
                if (json) {
                    System.out.println(new ObjectMapper().writeValueAsString(result.metrics()));
                } else {
                    print(result);
                }
                return 0;
            });
        }

        private static void print(EvalResult r) {
            System.out.printf(Locale.ROOT, "reference: %d images, sample: %d images%s%n", r.referenceCount(),
                    r.sampleCount(), r.extractor().isEmpty() ? "" : ", features: " + r.extractor());
            line("FID", r.fid(), "no pool_3 features or statistics on one side");
            line("sFID", r.sfid(), "no spatial features or mu_s/sigma_s on one side");
            line("Inception Score", r.inceptionScore(), "the sample has no softmax features");
            line("Precision", r.precision(), "needs pool_3 features of both sets");
            line("Recall", r.recall(), "needs pool_3 features of both sets");
        }

        private static void line(String name, Double v, String why) {
            System.out.printf(Locale.ROOT, "%-16s %s%n", name + ":", v == null ? "n/a (" + why + ")"
                    : String.format(Locale.ROOT, "%.6g", v));
        }
    }
}
