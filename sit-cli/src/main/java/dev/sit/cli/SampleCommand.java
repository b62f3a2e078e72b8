package dev.sit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sit.core.engine.ClusterMassSampling;
import dev.sit.core.engine.ResolvedSampler;
import dev.sit.core.engine.SampleOutputs;
import dev.sit.core.engine.SampleStage;
import dev.sit.core.engine.SitEngine;
import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.Overrides;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.SampleSection;
import dev.sit.core.config.SamplerMode;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.io.NpyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sit sample ODE|SDE}: the reference's {@code sample.py} / {@code sample_ddp.py} flags. The
 * flags become one {@code sample:} entry (plus {@code model:} and {@code transport:} settings) of an
 * experiment, either a fresh one or the {@code --experiment} file's, which is validated by the
 * same {@link ExperimentLoader} as {@code sit run} (problems name the flag that caused them) and
 * run by the same {@link SampleStage}.
 *
 * <p>{@code --image-size} is in pixels, as in the reference: for a model of SD-VAE latents (4 input
 * channels) the model's input size is image size / 8; for a pixel-space model (1 or 3 channels)
 * it is the image size itself. {@code --input-size} sets the model's input size directly.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample from SiT weights with the probability-flow ODE or the SDE (the reference's sample.py "
                + "flags), estimate likelihoods (ODE --likelihood), or write N images for FID (--num-fid-samples).",
                "Examples:",
                "  sit sample ODE --ckpt SiT-XL-2-256x256.pt --cfg-scale 4 --save-npy latents.npy",
                "  sit sample SDE --experiment exp.yaml --ckpt results/001-exp/checkpoints/0010000 "
                        + "--num-fid-samples 50000 --per-proc-batch-size 32",
                "  sit sample ODE --model SiT-S/2 --ckpt m.pt --likelihood --noise data.npy --labels 3,7"})
public final class SampleCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "ODE|SDE", description = "ODE (probability flow) or SDE sampling")
    String mode;

    @Option(names = "--experiment", paramLabel = "FILE",
            description = "take model:, transport:, data: and seed (and a sample: entry of this mode) from an experiment; "
                    + "flags override them")
    Path experimentFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override an experiment setting (repeatable)")
    List<String> sets = new ArrayList<>();

    @Mixin
    PluginOptions plugins = new PluginOptions();

    // ---- model: the flags of sit forward (--model, --hidden-size ... --ckpt), plus the reference's --image-size
    @Mixin
    ModelOptions modelOptions = new ModelOptions();
    @Option(names = "--image-size", paramLabel = "PIXELS",
            description = "image size (default 256): the model input is PIXELS/8 for latent models (4 channels), PIXELS for pixel models")
    Integer imageSize;

    // ---- transport
    @Option(names = "--path-type", paramLabel = "PATH", description = "Linear (default), GVP, VP")
    String pathType;
    @Option(names = "--prediction", paramLabel = "TARGET", description = "velocity (default), score, noise, data")
    String prediction;
    @Option(names = "--loss-weight", paramLabel = "WEIGHT", description = "None (default), velocity, likelihood")
    String lossWeight;
    @Option(names = "--train-eps", paramLabel = "EPS", description = "training eps (default by path and prediction)")
    Double trainEps;
    @Option(names = "--sample-eps", paramLabel = "EPS", description = "sampling eps (default by path and prediction)")
    Double sampleEps;

    // ---- sampler
    @Option(names = "--sampling-method", paramLabel = "METHOD", description = "ODE: dopri5 (default), euler, rk4, ...; SDE: Euler (default), Heun")
    String samplingMethod;
    @Option(names = "--num-sampling-steps", paramLabel = "N", description = "ODE: output points; SDE: grid points (default 250)")
    Integer numSamplingSteps;
    @Option(names = "--cfg-scale", paramLabel = "S", description = "guidance scale (default 4.0; 1.0 for FID and likelihood)")
    Double cfgScale;
    @Option(names = "--cfg-channels", paramLabel = "first3|all", description = "guided channels (default first3, the reference's)")
    String cfgChannels;
    @Option(names = "--seed", paramLabel = "N", description = "sampling seed (default 0)")
    Long seed;
    @Option(names = "--atol", paramLabel = "TOL", description = "ODE: absolute tolerance of adaptive solvers (default 1e-6)")
    Double atol;
    @Option(names = "--rtol", paramLabel = "TOL", description = "ODE: relative tolerance of adaptive solvers (default 1e-3)")
    Double rtol;
    @Option(names = "--reverse", description = "ODE: integrate from data (--noise) to noise")
    boolean reverse;
    @Option(names = "--likelihood", description = "ODE: log-likelihood and bits/dim of the data in --noise (no guidance)")
    boolean likelihood;
    @Option(names = "--diffusion-form", paramLabel = "FORM", description = "SDE: sigma (default), SBDM, constant, linear, decreasing, increasing-decreasing")
    String diffusionForm;
    @Option(names = "--diffusion-norm", paramLabel = "X", description = "SDE: diffusion norm (default 1.0)")
    Double diffusionNorm;
    @Option(names = "--last-step", paramLabel = "RULE", description = "SDE: Mean (default), Tweedie, Euler, None")
    String lastStep;
    @Option(names = "--last-step-size", paramLabel = "H", description = "SDE: last step size (default 0.04)")
    Double lastStepSize;

    // ---- inputs
    @Option(names = "--noise", paramLabel = "z.npy", description = "initial states (N, C, H, W), one per label: noise, "
            + "or the data for --reverse and --likelihood (default: seeded noise)")
    String noise;
    @Option(names = "--labels", paramLabel = "207,360,...|y.npy", description = "class labels, one per sample "
            + "(default 207,360,387,974,88,979,417,279)")
    String labels;
    @Option(names = "--noise-replay", paramLabel = "n.npy", description = "SDE: recorded noise, one slice per draw")
    String noiseReplay;

    // ---- outputs
    @Option(names = "--output", paramLabel = "FILE.png", description = "the sample grid (default sample.png)")
    Path output;
    @Option(names = "--save-npy", paramLabel = "out.npy", description = "also save the raw final states (likelihood: "
            + "the latents, with out-logp.npy and out-bpd.npy)")
    Path saveNpy;
    @Option(names = "--save-trajectory", paramLabel = "traj.npy", description = "keep and save every state (T, N, C, H, W)")
    Path saveTrajectory;
    @Option(names = {"--decode", "--vae"}, paramLabel = "none|ema|mse|PATH",
            description = "decode latents with the SD VAE (default: the experiment's data.vae, else mse as the "
                    + "reference; none keeps the latents)")
    String decode;
    @Option(names = "--num-fid-samples", paramLabel = "N", description = "mass sampling: N images as PNGs plus an .npz")
    Integer numFidSamples;
    @Option(names = "--per-proc-batch-size", paramLabel = "B", description = "mass sampling: batch size (default 32)")
    Integer perProcBatchSize;
    @Option(names = "--sample-dir", paramLabel = "DIR", description = "mass sampling: parent folder (default samples)")
    Path sampleDir;
    @Option(names = "--replicas", paramLabel = "N", description = "N copies of the model sample equal shards of each "
            + "batch side by side, one thread each (default 1; 2 on 2 cores samples about 1.4 times as fast; each copy "
            + "holds the weights); with a fixed-grid solver the samples are the same bytes")
    Integer replicas;
    @Option(names = "--spark", paramLabel = "MASTER", description = "mass sampling on Apache Spark: local[N], "
            + "spark://host:7077, yarn, ... (the sit-spark module; ./sit builds it on first use)")
    String spark;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Test hook: mass sampling stops after this many batches, as an interrupted run would. */
    int stopMassSamplingAfter = Integer.MAX_VALUE;

    @Override
    public Integer call() throws Exception {
        SamplerMode samplerMode = parseMode();
        checkFlagsFitMode(samplerMode);
        ResolvedExperiment resolved = load(samplerMode, false);
        if (atol != null || rtol != null) {
            if (acceptsTolerances(resolved)) {
                resolved = load(samplerMode, true);
            } else {
                System.err.println("warning: --atol/--rtol are ignored by " + resolved.plugins().get("sample.0.method").name()
                        + " (a fixed-grid solver), as in the reference");
            }
        }
        resolved.warnings().forEach(w -> System.err.println("warning: " + w));
        SampleSection s = resolved.experiment().sample().get(0);
        SampleStage stage = SitEngine.withPluginPath(plugins.commandLine())
                .sampleStage(resolved, new ConsoleRunListener(System.err))
                .stopMassSamplingAfter(stopMassSamplingAfter);
        Path massDir = s.numFidSamples() == null ? null
                : (sampleDir != null ? sampleDir : Path.of("samples")).resolve(folderName(resolved, stage.samplers().get(0)));
        Path grid = s.likelihood() || s.numFidSamples() != null ? null : output != null ? output : Path.of("sample.png");
        if (spark != null) {
            return onSpark(resolved, massDir);
        }
        stage.run(0, null, 0, new SampleOutputs(grid, saveNpy, saveTrajectory, massDir));
        return 0;
    }

    /** Mass sampling as a Spark job: partitions of the index range, the .npz assembled here. */
    private int onSpark(ResolvedExperiment resolved, Path massDir) throws Exception {
        ClusterMassSampling cluster = ClusterMassSampling.find("spark").orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), "--spark " + spark + ": the sit-spark module and "
                        + "Apache Spark are not on the class path; run through ./sit, which builds them on first use of "
                        + "--spark, or with spark-submit as the README's \"Scaling out\" shows"));
        List<String> pluginPaths = plugins.commandLine().stream().map(p -> p.toAbsolutePath().toString()).toList();
        // executors do not share this process's working directory: they get absolute weight paths
        ObjectNode tree = ExperimentTree.of(resolved);
        ObjectNode entry = (ObjectNode) tree.path("sample").get(0);
        if (entry != null && entry.hasNonNull("ckpt")) {
            entry.put("ckpt", Path.of(entry.get("ckpt").asText()).toAbsolutePath().toString());
        }
        String yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().writeValueAsString(tree);
        cluster.run(new ClusterMassSampling.Request(spark, yaml, 0, massDir.toAbsolutePath().toString(), pluginPaths),
                new ConsoleRunListener(System.err));
        return 0;
    }

    private SamplerMode parseMode() {
        try {
            return SamplerMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the sampler must be ODE or SDE, got '" + mode + "'");
        }
    }

    private void checkFlagsFitMode(SamplerMode m) {
        List<String> wrong = new ArrayList<>();
        if (m == SamplerMode.ODE) {
            addIf(wrong, diffusionForm != null, "--diffusion-form");
            addIf(wrong, diffusionNorm != null, "--diffusion-norm");
            addIf(wrong, lastStep != null, "--last-step");
            addIf(wrong, lastStepSize != null, "--last-step-size");
            addIf(wrong, noiseReplay != null, "--noise-replay");
        } else {
            addIf(wrong, atol != null, "--atol");
            addIf(wrong, rtol != null, "--rtol");
            addIf(wrong, reverse, "--reverse");
            addIf(wrong, likelihood, "--likelihood");
        }
        if (!wrong.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join(", ", wrong)
                    + (wrong.size() == 1 ? " is" : " are") + " for " + (m == SamplerMode.ODE ? "SDE" : "ODE")
                    + " sampling only (sit sample " + (m == SamplerMode.ODE ? "SDE" : "ODE") + " ...)");
        }
        if (imageSize != null && modelOptions.inputSize != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either --image-size (pixels) or --input-size (the model's input), not both");
        }
        if (likelihood && (output != null || saveTrajectory != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--likelihood writes no grid or trajectory; save the latents and log-likelihoods with --save-npy");
        }
        if (numFidSamples == null && spark != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--spark shards mass sampling only: add --num-fid-samples N (grids and likelihoods run in this process)");
        }
        if (numFidSamples == null && (perProcBatchSize != null || sampleDir != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--per-proc-batch-size and --sample-dir belong to mass sampling: add --num-fid-samples N");
        }
    }

    private static void addIf(List<String> list, boolean condition, String flag) {
        if (condition) {
            list.add(flag);
        }
    }

    // ------------------------------------------------------------------ flags to an experiment

    private ResolvedExperiment load(SamplerMode m, boolean withTolerances) throws IOException {
        YamlDocument document;
        Path file;
        if (experimentFile != null) {
            if (!Files.isRegularFile(experimentFile)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--experiment " + experimentFile + " does not exist");
            }
            document = YamlDocument.read(experimentFile);
            file = experimentFile;
        } else {
            document = YamlDocument.parse("sit sample", "name: sample\n");
            file = Path.of("sit-sample.yaml");
        }
        ObjectNode root = document.root();
        root.remove("train");
        root.putArray("loggers");
        root.set("sample", baseSampler(root.get("sample"), m, numFidSamples != null));

        Overrides o = Overrides.none().with("sample.mode", m.name(), "sit sample " + m.name());
        o = modelOverrides(o, root);
        o = o.with("transport.path", pathType, flag("--path-type", pathType))
                .with("transport.prediction", prediction, flag("--prediction", prediction))
                .with("transport.loss_weight", lossWeight, flag("--loss-weight", lossWeight))
                .with("transport.train_eps", trainEps, flag("--train-eps", trainEps))
                .with("transport.sample_eps", sampleEps, flag("--sample-eps", sampleEps));
        o = withTolerances
                ? o.with("sample.method", methodWithTolerances(root.path("sample").get("method")), "--atol/--rtol")
                : o.with("sample.method", samplingMethod, flag("--sampling-method", samplingMethod));
        List<Integer> labelList = parseLabels();
        o = o.with("sample.num_steps", numSamplingSteps, flag("--num-sampling-steps", numSamplingSteps))
                .with("sample.cfg_scale", cfgScale, flag("--cfg-scale", cfgScale))
                .with("sample.cfg_channels", cfgChannels, flag("--cfg-channels", cfgChannels))
                .with("sample.seed", seed, flag("--seed", seed))
                .with("sample.reverse", reverse ? Boolean.TRUE : null, "--reverse")
                .with("sample.likelihood", likelihood ? Boolean.TRUE : null, "--likelihood")
                .with("sample.diffusion_form", diffusionForm, flag("--diffusion-form", diffusionForm))
                .with("sample.diffusion_norm", diffusionNorm, flag("--diffusion-norm", diffusionNorm))
                .with("sample.last_step", lastStep, flag("--last-step", lastStep))
                .with("sample.last_step_size", lastStepSize, flag("--last-step-size", lastStepSize))
                .with("sample.noise", noise, flag("--noise", noise))
                .with("sample.labels", labelList, flag("--labels", labels))
                .with("sample.noise_replay", noiseReplay, flag("--noise-replay", noiseReplay))
                .with("sample.keep_trajectory", saveTrajectory != null ? Boolean.TRUE : null, flag("--save-trajectory", saveTrajectory))
                .with("sample.decode", decode != null ? decode : defaultDecode(root),
                        decode != null ? flag("--decode", decode) : "the default decoder (sd-vae-ft-mse, as the reference)")
                .with("sample.ckpt", modelOptions.ckpt == null ? null : modelOptions.ckpt.toString(), flag("--ckpt", modelOptions.ckpt))
                .with("sample.num_fid_samples", numFidSamples, flag("--num-fid-samples", numFidSamples))
                .with("sample.per_proc_batch_size", perProcBatchSize, flag("--per-proc-batch-size", perProcBatchSize))
                .with("sample.replicas", replicas, flag("--replicas", replicas));
        return new ExperimentLoader(plugins.commandLine(), PluginOptions.environment())
                .load(file, document, o.then(Overrides.parse(sets)));
    }

    /** How a flag and its value appear in messages: "--cfg-scale 4.0". */
    private static String flag(String name, Object value) {
        return value == null ? name : name + " " + value;
    }

    /** The experiment's sample: entry of this mode (the first), as a mapping, or an empty one. */
    private static ObjectNode baseSampler(JsonNode sample, SamplerMode m, boolean massSampling) {
        List<JsonNode> entries = new ArrayList<>();
        if (sample != null && sample.isArray()) {
            sample.forEach(entries::add);
        } else if (sample != null && sample.isObject()) {
            entries.add(sample);
        }
        for (JsonNode entry : entries) {
            String entryMode = entry.path("mode").asText("ODE");
            if (entry.isObject() && entryMode.equalsIgnoreCase(m.name())) {
                ObjectNode copy = entry.deepCopy();
                // a grid entry's outputs are sit run's; this command names its own
                copy.remove("save_npy");
                if (massSampling) {
                    // --num-fid-samples draws its own labels and noise per sample: the grid's are not the user's request
                    for (String gridOnly : List.of("labels", "noise", "noise_replay", "keep_trajectory", "reverse",
                            "likelihood")) {
                        copy.remove(gridOnly);
                    }
                }
                return copy;
            }
        }
        return JSON.createObjectNode();
    }

    private Overrides modelOverrides(Overrides o, ObjectNode root) {
        o = o.with("model.size", modelOptions.model, flag("--model", modelOptions.model))
                .with("model.hidden_size", modelOptions.hiddenSize, flag("--hidden-size", modelOptions.hiddenSize))
                .with("model.depth", modelOptions.depth, flag("--depth", modelOptions.depth))
                .with("model.num_heads", modelOptions.numHeads, flag("--num-heads", modelOptions.numHeads))
                .with("model.patch_size", modelOptions.patchSize, flag("--patch-size", modelOptions.patchSize));
        if (modelOptions.model != null) {
            // a named size replaces a custom one of the experiment
            for (String key : List.of("hidden_size", "depth", "num_heads", "patch_size")) {
                if (root.path("model").has(key)) {
                    ((ObjectNode) root.get("model")).remove(key);
                }
            }
        } else if (modelOptions.hiddenSize != null || modelOptions.depth != null || modelOptions.numHeads != null
                || modelOptions.patchSize != null) {
            if (root.path("model").has("size")) {
                ((ObjectNode) root.get("model")).remove("size");
            }
        }
        o = o.with("model.in_channels", modelOptions.inChannels, flag("--in-channels", modelOptions.inChannels))
                .with("model.input_size", modelOptions.inputSize, flag("--input-size", modelOptions.inputSize));
        if (imageSize != null) {
            int channels = modelOptions.inChannels != null ? modelOptions.inChannels : root.path("model").path("in_channels").asInt(4);
            boolean latent = channels == 4;
            if (latent && imageSize % 8 != 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--image-size " + imageSize
                        + " must be divisible by 8: a latent model (4 channels) takes image size / 8");
            }
            o = o.with("model.input_size", latent ? imageSize / 8 : imageSize, flag("--image-size", imageSize));
        }
        return o.with("model.num_classes", modelOptions.numClasses, flag("--num-classes", modelOptions.numClasses))
                .with("model.learn_sigma", modelOptions.learnSigma, flag("--learn-sigma", modelOptions.learnSigma))
                .with("model.mlp_ratio", modelOptions.mlpRatio, flag("--mlp-ratio", modelOptions.mlpRatio))
                .with("model.class_dropout_prob", modelOptions.classDropoutProb,
                        flag("--class-dropout-prob", modelOptions.classDropoutProb));
    }

    /**
     * The reference decodes with {@code sd-vae-ft-mse} unless told otherwise: the default for a latent
     * model (4 channels) when neither the experiment's sample entry nor its {@code data.vae} names a VAE.
     */
    private String defaultDecode(ObjectNode root) {
        int channels = modelOptions.inChannels != null ? modelOptions.inChannels : root.path("model").path("in_channels").asInt(4);
        String dataVae = root.path("data").path("vae").asText("none");
        boolean named = root.path("sample").has("decode") || !dataVae.equalsIgnoreCase("none");
        return channels == 4 && !named ? "mse" : null;
    }

    /** {@code {name: M, options: {...existing, atol, rtol}}} for an adaptive solver. */
    private ObjectNode methodWithTolerances(JsonNode existing) {
        ObjectNode method = JSON.createObjectNode();
        ObjectNode options = JSON.createObjectNode();
        if (existing != null && existing.isObject()) {
            method.put("name", existing.path("name").asText());
            if (existing.get("options") instanceof ObjectNode o) {
                options.setAll(o);
            }
        } else if (existing != null && existing.isTextual()) {
            method.put("name", existing.asText());
        } else {
            method.put("name", "dopri5");
        }
        if (samplingMethod != null) {
            method.put("name", samplingMethod);
        }
        if (atol != null) {
            options.put("atol", atol);
        }
        if (rtol != null) {
            options.put("rtol", rtol);
        }
        method.set("options", options);
        return method;
    }

    private static boolean acceptsTolerances(ResolvedExperiment resolved) {
        Class<?> options = resolved.plugins().get("sample.0.method").plugin().factory().optionsType();
        return options.isRecord() && Arrays.stream(options.getRecordComponents()).anyMatch(c -> c.getName().equals("atol"));
    }

    private List<Integer> parseLabels() throws IOException {
        if (labels == null) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        if (labels.endsWith(".npy")) {
            INDArray y = NpyFile.read(Path.of(labels));
            if (!y.dataType().isIntType() || y.rank() > 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--labels " + labels
                        + " must hold integer class labels of shape (N), got " + y.dataType() + " " + Arrays.toString(y.shape()));
            }
            for (long v : y.toLongVector()) {
                out.add((int) v);
            }
            return out;
        }
        for (String part : labels.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--labels expects class numbers separated by "
                        + "commas (e.g. 207,360,387) or an .npy file, got '" + labels + "'");
            }
        }
        return out;
    }

    /** The mass-sampling folder name, like the reference's {@code <model>-<ckpt>-size-...-seed-...}. */
    private static String folderName(ResolvedExperiment resolved, ResolvedSampler sampler) {
        SampleSection s = sampler.settings();
        var m = resolved.experiment().model();
        String modelName = m.size() != null ? m.size().replace('/', '-')
                : "SiT-D" + m.hiddenSize() + "-L" + m.depth() + "-P" + m.patchSize();
        String weights = s.ckpt() != null ? Path.of(s.ckpt()).getFileName().toString().replaceFirst("\\.(pt|safetensors)$", "")
                : m.ckpt() != null ? Path.of(m.ckpt()).getFileName().toString().replaceFirst("\\.(pt|safetensors)$", "") : "weights";
        long sampleSeed = sampler.seed();
        String method = sampler.method();
        String name = String.format(Locale.ROOT, "%s-%s-size-%d-cfg-%s-seed-%d-%s-%s-%d", modelName, weights, m.inputSize(),
                s.cfgScale(), sampleSeed, s.mode(), method, s.numSteps());
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
