package dev.sit.cli;

import dev.sit.api.data.Dataset;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.ClusterLatentExtraction;
import dev.sit.core.vae.ExtractionImages;
import dev.sit.core.vae.LatentExtraction;
import dev.sit.core.vae.VaeWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sit extract-latents}: encodes an image dataset with the SD VAE into latent shards (manifest + SHA-256 per
 * shard) that the {@code latents} dataset reads, the fastest way to train in latent space. Resumable: run the same
 * command again after an interruption and it continues after the last complete shard.
 */
@Command(name = "extract-latents", mixinStandardHelpOptions = true,
        description = {"Encode an image dataset with the SD VAE into latent shards for the 'latents' dataset",
                "(data: {source: {name: latents, options: {folder: OUT}}, vae: none}). Latents are",
                "scaling_factor * a posterior sample, seeded per image. An interrupted extraction continues",
                "after its last complete shard when run again with the same options."})
public final class ExtractLatentsCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "SOURCE", description = "the image dataset: image-folder (with --root)")
    String data;

    @Option(names = "--root", paramLabel = "DIR",
            description = "image-folder root: one sub-folder per class (ImageNet train layout root/<class>/<image>)")
    Path root;

    @Option(names = "--experiment", paramLabel = "FILE",
            description = "take the dataset (data.source) and, unless given, --vae (data.vae) and the image size"
                    + " (model.input_size x the VAE's downsampling) from an experiment YAML")
    Path experiment;

    @Option(names = "--image-size", paramLabel = "S",
            description = "side of the ADM center crop the VAE encodes (default: from --experiment, else 256)")
    Integer imageSize;

    @Mixin
    VaeSelection vae = new VaeSelection();

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "images read per step (decoded ahead on --workers threads; the VAE encodes them one at a"
                    + " time, which bounds memory) (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--shard-size", defaultValue = "4096", paramLabel = "N",
            description = "latents per shard file (default: ${DEFAULT-VALUE}; even with --flip)")
    int shardSize;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the posterior samples (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--flip", description = "also write each image's horizontal mirror image (two latents per image)")
    boolean flip;

    @Option(names = "--workers", paramLabel = "N", description = "image decoding threads (default: min(4, cores))")
    Integer workers;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the shards and manifest.json")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "with --experiment: override a setting (repeatable)")
    java.util.List<String> overrides = new java.util.ArrayList<>();

    @Option(names = "--spark", paramLabel = "MASTER", description = "extract on Apache Spark: local[N], "
            + "spark://host:7077, yarn, ... (partitions of whole shards; the sit-spark module, which ./sit builds on first"
            + " use; --root, --vae and --out must be readable by every executor)")
    String spark;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((experiment == null) == (data == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give the images either with --data image-folder --root DIR or with --experiment FILE");
        }
        PrintStream err = System.err;
        return SitCommand.checkingArguments(() -> {
            ResolvedExperiment resolved = experiment == null ? null : loadExperiment();
            String vaeSpec = vae.specOr(resolved == null ? null : resolved.experiment().data().vae());
            if (vaeSpec == null || vaeSpec.equalsIgnoreCase("none")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--vae is needed (ema, mse or a path)"
                        + (resolved == null ? "" : ": the experiment's data.vae is none"));
            }
            // the VAE first: without weights there is nothing to do, and the message says how to get them
            VaeWeights weights = vae.load(vaeSpec);
            weights.notes().forEach(err::println);
            AutoencoderKl model = new AutoencoderKl(weights);
            int size = imageSize != null ? imageSize
                    : resolved != null ? resolved.experiment().model().inputSize() * model.config().downsampleFactor()
                    : 256;
            if (size % model.config().downsampleFactor() != 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--image-size " + size
                        + " is not a multiple of the VAE's downsampling factor " + model.config().downsampleFactor());
            }
            ExtractionImages images;
            String description;
            if (resolved == null) {
                if (!data.toLowerCase(Locale.ROOT).equals("image-folder")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--data " + data
                            + ": only image-folder is read directly; take other sources from an experiment (--experiment)");
                }
                if (root == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--data image-folder needs --root DIR");
                }
                images = ExtractionImages.imageFolder(root, size, seed, workers);
                description = "image-folder " + root.toAbsolutePath().normalize();
            } else {
                images = ExtractionImages.experiment(resolved, plugins.commandLine(), size, seed, workers);
                description = resolved.experiment().data().source().name() + " of " + experiment;
            }
            LatentExtraction.Settings settings = new LatentExtraction.Settings(size, batchSize, shardSize, seed, flip,
                    vaeSpec, description);
            LatentExtraction.Result r;
            if (spark != null) {
                r = onSpark(images, vaeSpec, settings, err);
            } else {
                try (Dataset opened = images.openWith(resolved)) {
                    err.printf("extracting latents of %d images (%s, %dx%d) to %s%s%n", opened.size(), description, size,
                            size, out, flip ? " with mirror images" : "");
                    r = LatentExtraction.run(opened, model, out, settings, err);
                }
            }
            System.out.printf(Locale.ROOT, "wrote %d latents (%s) to %s: encoded %d images in %.1f s (%.2f images/s)%s%n",
                    r.latents(), (flip ? "2 per image, " : "") + "shape " + model.config().embedDim() + "x"
                            + size / model.config().downsampleFactor() + "x" + size / model.config().downsampleFactor(),
                    out, r.imagesEncoded(), r.seconds(), r.imagesPerSecond(),
                    r.imagesResumed() > 0 ? " after resuming at image " + r.imagesResumed() : "");
            return 0;
        });
    }

    /** The extraction as a cluster job: partitions of whole shards, the manifest written here. */
    private LatentExtraction.Result onSpark(ExtractionImages images, String vaeSpec, LatentExtraction.Settings settings,
            PrintStream err) throws Exception {
        ClusterLatentExtraction cluster = ClusterLatentExtraction.find("spark").orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), "--spark " + spark + ": the sit-spark module and "
                        + "Apache Spark are not on the class path; run through ./sit, which builds them on first use of "
                        + "--spark, or with spark-submit as the README's \"Scaling out\" shows"));
        // executors do not share this process's working directory: they get absolute paths
        boolean named = vaeSpec.equalsIgnoreCase("ema") || vaeSpec.equalsIgnoreCase("mse");
        String executorVae = named ? vaeSpec : Path.of(vaeSpec).toAbsolutePath().normalize().toString();
        String config = vae.vaeConfig == null ? null : vae.vaeConfig.toAbsolutePath().normalize().toString();
        return cluster.run(new ClusterLatentExtraction.Request(spark, images, executorVae, config, settings,
                out.toAbsolutePath().normalize().toString()), err);
    }

    private ResolvedExperiment loadExperiment() throws IOException {
        if (!Files.isRegularFile(experiment)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "experiment file " + experiment + " does not exist");
        }
        return new ExperimentLoader(plugins.commandLine(), PluginOptions.environment()).load(experiment, overrides);
    }
}
