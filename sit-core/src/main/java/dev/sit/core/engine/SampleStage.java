package dev.sit.core.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.sampling.NoiseSource;
import dev.sit.api.sampling.SolverStats;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.GuidanceChannels;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.SampleSection;
import dev.sit.core.config.SamplerMode;
import dev.sit.core.image.ImageGrid;
import dev.sit.core.image.PngImage;
import dev.sit.core.io.NpyFile;
import dev.sit.core.io.TensorSource;
import dev.sit.core.io.WeightsFile;
import dev.sit.core.model.Guidance;
import dev.sit.core.model.GuidedModel;
import dev.sit.core.model.ExpectedStateDict;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import dev.sit.core.sampling.HutchinsonProbe;
import dev.sit.core.sampling.IndexedNoise;
import dev.sit.core.sampling.Likelihood;
import dev.sit.core.sampling.LikelihoodEstimator;
import dev.sit.core.sampling.OdeSampler;
import dev.sit.core.sampling.OdeSamples;
import dev.sit.core.sampling.ProbabilityFlow;
import dev.sit.core.sampling.ReplayNoise;
import dev.sit.core.sampling.SdeSampler;
import dev.sit.core.sampling.TimeGrid;
import dev.sit.core.transport.TimeShift;
import dev.sit.core.sampling.SdeSamples;
import dev.sit.core.sampling.SeededNoise;
import dev.sit.core.sampling.ShardedNoise;
import dev.sit.core.sampling.VectorJacobianProduct;
import dev.sit.core.train.RunFolder;
import dev.sit.core.train.StepSeeds;
import dev.sit.core.transport.Interval;
import dev.sit.core.transport.IntervalRequest;
import dev.sit.core.transport.Transport;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.PretrainedVae;
import dev.sit.core.vae.VaeNotFoundException;
import dev.sit.core.vae.VaeWeights;
import dev.sit.api.sampling.VectorField;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@code sample:} stage, shared by {@code sit run}, {@code sit sample} and training's periodic
 * grids: for each resolved sampler setting, samples from the chosen weights through the ODE or SDE
 * solver, with classifier-free guidance kept in the model ({@link GuidedModel} doubles the batch
 * itself). Three kinds of run:
 * <ul>
 * <li>a grid: one sample per label (initial states seeded or from {@code noise}), saved as a PNG
 *     grid (and handed to every logger) and optionally as raw {@code .npy} (final states, and the trajectory);</li>
 * <li>mass sampling ({@code num_fid_samples}): {@link MassSampling}, noise and random labels keyed by each sample's global index;</li>
 * <li>likelihood: log-likelihood and bits/dim of the {@code noise} states taken as data.</li>
 * </ul>
 * Grids and mass sampling run each batch through {@code sample.replicas} copies of the model side by
 * side ({@link SamplingReplicas}), with the noise of one piece.
 * It reports through a {@link RunListener} and never prints.
 */
public final class SampleStage {

    /** Seed purposes of mass-sampling draws (with the sample's global index as the step). */
    private static final long INITIAL_NOISE = 11;
    private static final long SDE_NOISE = 12;
    private static final long LABELS = 13;

    private final ResolvedExperiment resolved;
    private final SitConfig config;
    private final Transport transport;
    private final List<MetricsLogger> loggers;
    private final RunListener listener;
    private final List<ResolvedSampler> samplers = new ArrayList<>();
    private int massBatchLimit = Integer.MAX_VALUE;

    @Inject
    SampleStage(ResolvedExperiment resolved, SitConfig config, Transport transport, List<MetricsLogger> loggers,
                RunListener listener) {
        this.resolved = resolved;
        this.config = config;
        this.transport = transport;
        this.loggers = loggers;
        this.listener = listener;
        for (int k = 0; k < resolved.experiment().sample().size(); k++) {
            samplers.add(ResolvedSampler.of(resolved, k));
        }
    }

    /** Test hook: mass sampling stops after this many batches, as an interrupted run would. */
    public SampleStage stopMassSamplingAfter(int batches) {
        this.massBatchLimit = batches;
        return this;
    }

    /** The resolved sampler settings, in the experiment's order. */
    public List<ResolvedSampler> samplers() {
        return List.copyOf(samplers);
    }

    /**
     * Runs every sampler setting into the run folder ({@code samples/<mode>-<k>-<method>.png} ...);
     * {@code trainedEma} are the weights training just produced (at {@code step}), or null.
     */
    void run(RunFolder folder, Map<String, INDArray> trainedEma, long step) throws IOException {
        for (ResolvedSampler r : samplers) {
            SampleSection s = r.settings();
            run(r.index(), trainedEma, step, SampleOutputs.inFolder(folder.samples(), r.baseName(), s.saveNpy(),
                    s.keepTrajectory()));
        }
    }

    /**
     * Training's periodic grids: every grid setting (not mass sampling or likelihood) samples the
     * EMA weights of {@code step} into {@code samples/<step>-<k>-<method>.png} and every logger.
     * Its draws come from the sampler's own seeds, so training's random stream is untouched.
     */
    void periodic(RunFolder folder, long step, Map<String, INDArray> ema) throws IOException {
        for (ResolvedSampler r : samplers) {
            SampleSection s = r.settings();
            if (s.likelihood() || s.numFidSamples() != null) {
                continue;
            }
            String stem = String.format(Locale.ROOT, "%07d-%d-%s", step, r.index(), r.method());
            // always the EMA being trained, even where the entry names other weights for the final samples
            sample(r, new WeightsSource(ema, "the EMA weights of training step " + step), step,
                    new SampleOutputs(folder.samples().resolve(stem + ".png"), null, null, null));
        }
    }

    /** Runs sampler setting {@code k} into the given outputs. */
    public void run(int k, Map<String, INDArray> trainedEma, long step, SampleOutputs outputs) throws IOException {
        ResolvedSampler r = samplers.get(k);
        sample(r, weights(r.settings(), trainedEma, step), step, outputs);
    }

    private void sample(ResolvedSampler r, WeightsSource weights, long step, SampleOutputs outputs) throws IOException {
        SampleSection s = r.settings();
        SitModel model = weights.model(config);
        if (s.likelihood()) {
            likelihood(r, model, outputs);
            return;
        }
        // the VAE is loaded before sampling, so that a missing one fails fast
        AutoencoderKl vae = decoder(s);
        try (SamplingReplicas replicas = replicas(s, model, weights)) {
            if (s.numFidSamples() != null) {
                massSample(r, replicas, vae, weights, s.numFidSamples(), outputs, null);
            } else {
                grid(r, replicas, vae, outputs, step);
            }
        }
    }

    /** {@code sample.replicas} copies of the model, {@code model} the first. */
    private SamplingReplicas replicas(SampleSection s, SitModel model, WeightsSource weights) {
        return new SamplingReplicas(model, s.replicas(), () -> weights.model(config));
    }

    // ------------------------------------------------------------------ the three kinds of run

    private void grid(ResolvedSampler r, SamplingReplicas replicas, AutoencoderKl vae, SampleOutputs outputs, long step)
            throws IOException {
        SampleSection s = r.settings();
        INDArray labels = labels(s.labels());
        long n = labels.length();
        INDArray x0 = initialStates(s, n, r.seed());
        NoiseSource sdeNoise = s.mode() == SamplerMode.SDE ? sdeNoise(s, r.seed(), n) : null;
        // shards side by side meet the rows of the whole batch's noise draws
        int shards = replicas.shardsOf(n);
        ShardedNoise shardedNoise = sdeNoise == null || shards == 1 ? null : new ShardedNoise(sdeNoise, n, shards);
        String what = "sample " + r.index() + " (" + s.mode() + " " + r.method() + ", num_steps " + s.numSteps() + ")";
        listener.stageStarted(Stage.SAMPLE, what, n, 0);
        long started = System.nanoTime();
        boolean keepTrajectory = outputs.trajectory() != null;
        SamplerRun out = replicas.sample(n, (model, from, to) -> sample(r, model, rows(x0, from, to),
                rows(labels, from, to), shardedNoise != null ? shardedNoise.rows(from, to) : sdeNoise, keepTrajectory));
        listener.progress(Stage.SAMPLE, labels.length(), out.stats().summary());
        listener.stageFinished(Stage.SAMPLE, report(r, labels.length(), started, out));
        INDArray last = out.last();
        if (outputs.npy() != null) {
            write(outputs.npy(), last, "final states");
        }
        if (outputs.trajectory() != null) {
            write(outputs.trajectory(), Nd4j.stack(0, out.states().toArray(new INDArray[0])), "trajectory");
        }
        if (outputs.grid() != null) {
            writeGrid(r, last, vae, outputs, step);
        }
    }

    /**
     * {@code n} images of sampler setting {@code k} (whatever its kind) into {@code dir} and the
     * evaluation archive next to it (the {@code eval:} stage's samples); returns the archive, or
     * null when mass sampling was stopped early. Samples of other settings already in {@code dir}
     * (older weights of a run resumed to train further) are moved to {@code earlier}.
     */
    Path massSampleImages(int k, Map<String, INDArray> trainedEma, long step, long n, Path dir, Path earlier)
            throws IOException {
        ResolvedSampler r = samplers.get(k);
        WeightsSource weights = weights(r.settings(), trainedEma, step);
        try (SamplingReplicas replicas = replicas(r.settings(), weights.model(config), weights)) {
            return massSample(r, replicas, decoder(r.settings()), weights, n, new SampleOutputs(null, null, null, dir),
                    earlier);
        }
    }

    /** Mass sampling into {@code outputs.massDir()}; samples of other settings there are refused, or moved to {@code earlier}. */
    private Path massSample(ResolvedSampler r, SamplingReplicas replicas, AutoencoderKl vae, WeightsSource weights,
            long total, SampleOutputs outputs, Path earlier) throws IOException {
        SampleSection s = r.settings();
        listener.info(String.format(Locale.ROOT, "mass sampling: %d images in batches of %d (%s %s, num_steps %d, cfg %s,"
                + " seed %d) into %s", total, s.perProcBatchSize(), s.mode(), r.method(), s.numSteps(),
                s.cfgScale(), r.seed(), outputs.massDir()));
        return massSampling(r, replicas, vae, weights, total, outputs.massDir()).archiveOtherSettingsTo(earlier)
                .stopAfterBatches(massBatchLimit).run(listener);
    }

    /**
     * Mass sampling of setting {@code k} into {@code massDir}, its weights (and VAE) loaded once:
     * for a process that samples a part of the index range ({@link MassSampling#sampleRange}), such
     * as a Spark task. It samples with one copy of the model whatever {@code replicas} says: Spark
     * already runs a task per core.
     */
    public MassSampling massSampling(int k, Path massDir) throws IOException {
        ResolvedSampler r = samplers.get(k);
        SampleSection s = r.settings();
        if (s.numFidSamples() == null) {
            throw new IllegalArgumentException("sample entry " + k + " is not mass sampling: set num_fid_samples "
                    + "(--num-fid-samples N)");
        }
        WeightsSource weights = weights(s, null, 0);
        SamplingReplicas one = new SamplingReplicas(weights.model(config), 1, null);
        return massSampling(r, one, decoder(s), weights, s.numFidSamples(), massDir);
    }

    private MassSampling massSampling(ResolvedSampler r, SamplingReplicas replicas, AutoencoderKl vae,
            WeightsSource weights, long total, Path massDir) throws IOException {
        SampleSection s = r.settings();
        if (vae == null && config.inChannels() != 1 && config.inChannels() != 3) {
            throw new IllegalArgumentException("mass sampling writes PNG images, but this model makes " + config.inChannels()
                    + "-channel latents and decoding is off (decode: none); decode them with the SD VAE: --vae ema|mse|PATH "
                    + "(sample.decode or data.vae)");
        }
        long seed = r.seed();
        MassSampling.BatchSource source = (first, count) -> {
            SamplerRun out = replicas.sample(count, (model, from, to) -> {
                // every draw is keyed by the sample's global index, never by its batch or shard
                long start = first + from;
                int rows = (int) (to - from);
                int[] y = new int[rows];
                for (int j = 0; j < rows; j++) {
                    // as torch.randint(0, num_classes, (1,)) for sample start + j
                    y[j] = new SplittableRandom(StepSeeds.of(seed, start + j, LABELS)).nextInt(config.numClasses());
                }
                INDArray x0 = IndexedNoise.rows(seed, INITIAL_NOISE, start, rows, 0, config.inChannels(),
                        config.inputSize(), config.inputSize());
                NoiseSource noise = s.mode() == SamplerMode.SDE ? IndexedNoise.source(seed, SDE_NOISE, start, rows) : null;
                return sample(r, model, x0, Nd4j.createFromArray(y), noise, false);
            });
            return new MassSampling.Batch(vae == null ? out.last() : vae.decode(out.last()), out.stats());
        };
        return new MassSampling(total, s.perProcBatchSize(), massDir, settings(r, weights, vae), source);
    }

    private void likelihood(ResolvedSampler r, SitModel model, SampleOutputs outputs) throws IOException {
        SampleSection s = r.settings();
        long seed = r.seed();
        INDArray labels = labels(s.labels());
        if (s.noise() == null) {
            listener.warning("likelihood without noise: (--noise DATA.npy) evaluates seeded Gaussian "
                    + "noise as data; give the data to evaluate as an .npy (N, C, H, W)");
        }
        INDArray data = initialStates(s, labels.length(), seed);
        Interval interval = transport.interval(IntervalRequest.ode(false));
        VectorField forward = (x, t) -> model.forward(x, times(x.size(0), t, model), labels);
        VectorJacobianProduct modelVjp = (x, t, e) -> model.vjp(x, times(x.size(0), t, model), labels, e);
        LikelihoodEstimator estimator = new LikelihoodEstimator(r.ode());
        // pixel data is scaled u8 / 127.5 - 1: densities of the 8-bit values are 127.5^N times smaller
        double offset = config.inChannels() == 1 || config.inChannels() == 3 ? Math.log(127.5) / Math.log(2) : 0.0;
        listener.stageStarted(Stage.SAMPLE, "likelihood " + r.index() + " (ODE " + r.method() + ")", labels.length(), 0);
        long started = System.nanoTime();
        Likelihood result = estimator.estimate(ProbabilityFlow.velocity(transport, forward),
                ProbabilityFlow.velocityVjp(transport, modelVjp), data, HutchinsonProbe.rademacher(seed + 2),
                interval.t0(), interval.t1(), s.numSteps(), offset);
        double seconds = (System.nanoTime() - started) / 1e9;
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "likelihood %d (ODE %s, num_steps %d, data to"
                        + " noise): %d samples in %.1f s; %s; model calls: %d forward + %d vector-Jacobian products",
                r.index(), r.method(), s.numSteps(), labels.length(), seconds, result.stats().summary(),
                result.velocityEvaluations(), result.vjpEvaluations()));
        float[] logp = result.logLikelihood().toFloatVector();
        float[] bpd = result.bitsPerDim().toFloatVector();
        for (int i = 0; i < logp.length; i++) {
            summary.append(String.format(Locale.ROOT, "%n  sample %d (label %d): log-likelihood %.4f nats, %.4f bits/dim",
                    i, labels.getInt(i), logp[i], bpd[i]));
        }
        summary.append(String.format(Locale.ROOT, "%n  mean: log-likelihood %.4f nats, %.4f bits/dim%s",
                result.logLikelihood().meanNumber().doubleValue(), result.bitsPerDim().meanNumber().doubleValue(),
                offset == 0 ? " (model input space)" : " (8-bit pixel values: + log2(127.5) for the [-1, 1] scaling)"));
        listener.stageFinished(Stage.SAMPLE, summary.toString());
        if (outputs.npy() != null) {
            write(outputs.npy(), result.latent(), "latents z (data flowed to noise)");
            write(SampleOutputs.besideNpy(outputs.npy(), "-logp"), result.logLikelihood(), "log-likelihoods (nats)");
            write(SampleOutputs.besideNpy(outputs.npy(), "-bpd"), result.bitsPerDim(), "bits/dim");
        }
    }

    // ------------------------------------------------------------------ sampling one batch

    /** The states of one sampler run and its cost. */
    record SamplerRun(List<INDArray> states, SolverStats stats, String cost) {

        INDArray last() {
            return states.get(states.size() - 1);
        }
    }

    /** Samples one batch: x0 (N, C, H, W) with labels (N) through setting r's ODE or SDE. */
    SamplerRun sample(ResolvedSampler r, SitModel model, INDArray x0, INDArray labels, NoiseSource sdeNoise,
            boolean keepTrajectory) {
        SampleSection s = r.settings();
        GuidedModel guided = new GuidedModel(model, guidance(s));
        if (s.mode() == SamplerMode.ODE) {
            Interval interval = transport.interval(IntervalRequest.ode(s.reverse()));
            TimeShift shift = new TimeShift(s.timeShift());
            double[] times = shift.onGrid(TimeGrid.linspace(interval.t0(), interval.t1(), s.numSteps()));
            OdeSamples out = new OdeSampler(r.ode()).sample((x, t) -> transport.velocity(x, guided.velocityOut(x, t, labels), t),
                    x0, times, keepTrajectory);
            String grid = (out.steps().isEmpty()
                    ? (s.numSteps() - 1) + " steps on the output grid"
                    : "output points only; the adaptive solver chose its own steps")
                    + (shift.isIdentity() ? "" : ", time shift " + s.timeShift());
            return new SamplerRun(out.states(), out.stats(), grid);
        }
        SdeSampler sampler = new SdeSampler(r.sde(), r.form(), s.diffusionNorm(), r.lastStep(), r.effectiveLastStepSize());
        if (s.numSteps() < 2) {
            throw new IllegalArgumentException("SDE sampling needs num_steps >= 2, got " + s.numSteps());
        }
        Interval interval = sampler.interval(transport, r.form().singularAtStart());
        TimeShift shift = new TimeShift(s.timeShift());
        SdeSamples out = sampler.sample(transport, (x, t) -> guided.velocityOut(x, t, labels), x0,
                shift.onGrid(TimeGrid.linspace(interval.t0(), interval.t1(), s.numSteps())), sdeNoise, keepTrajectory);
        SolverStats stats = new SolverStats(out.modelEvaluations(), s.numSteps() - 1, 0);
        String cost = (s.numSteps() - 1) + " steps (" + out.driftEvaluations() + " drift evaluations) + last step "
                + r.lastStepName() + "; " + out.noiseDraws() + " noise draws"
                + (shift.isIdentity() ? "" : "; time shift " + s.timeShift());
        List<INDArray> states = out.states();
        if (keepTrajectory) {
            // the reference's list holds no initial state; ours starts with it, as the ODE's does
            states = new java.util.ArrayList<>(states);
            states.add(0, x0);
        }
        return new SamplerRun(states, stats, cost);
    }

    private static String report(ResolvedSampler r, long n, long started, SamplerRun run) {
        SampleSection s = r.settings();
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format(Locale.ROOT, "sample %d (%s, num_steps %d: %s): %d images in %.1f s (%.2f images/s); %s%s",
                r.index(), s.mode(), s.numSteps(), run.cost(), n, seconds, n / seconds, run.stats().summary(),
                s.cfgScale() != 1.0 ? "; each evaluation runs the model on the doubled batch (guidance)" : "");
    }

    // ------------------------------------------------------------------ inputs

    private Guidance guidance(SampleSection s) {
        Guidance guidance = Guidance.of(s.cfgScale(), s.cfgChannels() == GuidanceChannels.ALL
                ? Guidance.Channels.ALL : Guidance.Channels.FIRST3);
        if (s.guidanceInterval() != null) {
            guidance = guidance.withInterval(s.guidanceInterval().get(0), s.guidanceInterval().get(1));
        }
        return guidance;
    }

    /** Rows {@code [from, to)} of {@code a} (the array itself when that is all of it). */
    private static INDArray rows(INDArray a, long from, long to) {
        return from == 0 && to == a.size(0) ? a : a.get(NDArrayIndex.interval(from, to)).dup('c');
    }

    private static INDArray labels(List<Integer> labels) {
        return Nd4j.createFromArray(labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static INDArray times(long n, double t, SitModel model) {
        return Nd4j.valueArrayOf(new long[] {n}, t, model.dataType());
    }

    /** {@code noise:}'s states (one per label), else seeded Gaussian noise. */
    private INDArray initialStates(SampleSection s, long n, long seed) throws IOException {
        long[] expected = {n, config.inChannels(), config.inputSize(), config.inputSize()};
        if (s.noise() == null) {
            return new SeededNoise(seed).next(expected);
        }
        INDArray x0 = readNpy(s.noise(), "noise (--noise)");
        if (!Arrays.equals(x0.shape(), expected)) {
            throw new IllegalArgumentException("noise (--noise) " + s.noise() + " has shape " + Arrays.toString(x0.shape())
                    + "; expected " + Arrays.toString(expected) + ": one slice per label (" + n + " labels; give them "
                    + "with --labels), in_channels " + config.inChannels() + ", input_size " + config.inputSize()
                    + (s.cfgScale() != 1.0 ? " (with guidance the batch is doubled internally; give each sample once)" : ""));
        }
        dev.sit.core.io.InputTensorCheck.requireFinite(x0, "noise (--noise) " + s.noise());
        return x0.castTo(DataType.FLOAT);
    }

    /** The SDE's noise: {@code noise_replay:}'s recorded draws, else seeded. */
    private NoiseSource sdeNoise(SampleSection s, long seed, long n) throws IOException {
        if (s.noiseReplay() == null) {
            return new SeededNoise(seed + 1);
        }
        INDArray draws = readNpy(s.noiseReplay(), "noise_replay (--noise-replay)");
        if (draws.rank() >= 2 && draws.size(1) == 2 * n && s.cfgScale() != 1.0) {
            // recorded from the reference's guided run on [z; z]: only the first half reaches the samples
            draws = draws.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)).dup('c');
        }
        return new ReplayNoise(draws, s.noiseReplay());
    }

    private static INDArray readNpy(String file, String what) throws IOException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(what + ": file " + file + " does not exist");
        }
        return NpyFile.read(path);
    }

    // ------------------------------------------------------------------ outputs

    private void write(Path file, INDArray array, String what) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        NpyFile.write(file, array.castTo(DataType.FLOAT).dup('c'));
        listener.fileWritten(file, what + " " + Arrays.toString(array.shape()));
    }

    private void writeGrid(ResolvedSampler r, INDArray samples, AutoencoderKl vae, SampleOutputs outputs, long step)
            throws IOException {
        Path png = outputs.grid();
        if (vae != null) {
            samples = vae.decode(samples);
        } else if (samples.size(1) != 1 && samples.size(1) != 3) {
            Path npy = outputs.npy();
            if (npy == null) {
                npy = png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "") + ".npy");
                write(npy, samples, "final states");
            }
            listener.info("samples have " + samples.size(1) + " channels (latents), saved as " + npy
                    + "; no PNG grid: decoding is off (decode: none); --vae ema|mse|PATH decodes them");
            return;
        }
        int columns = (int) Math.ceil(Math.sqrt(samples.size(0)));
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        PngImage image = ImageGrid.withColumns(columns).write(samples, png);
        String caption = String.format(Locale.ROOT, "step %d: %s %s, %d steps, cfg %s", step, r.settings().mode(),
                r.method(), r.settings().numSteps(), r.settings().cfgScale());
        listener.imageProduced(step, png, caption);
        for (MetricsLogger logger : loggers) {
            logger.logImage(step, image.logged("samples/" + r.baseName(), caption));
        }
    }

    // ------------------------------------------------------------------ weights

    /**
     * Weights and where they came from (for messages and the mass-sampling settings): in memory
     * (training's EMA), or a file that the model reads one tensor at a time.
     */
    private record WeightsSource(Map<String, INDArray> stateDict, Path file, String origin) {

        WeightsSource(Map<String, INDArray> stateDict, String origin) {
            this(stateDict, null, origin);
        }

        /** The model with these weights; from a file, never a second full copy of them in memory. */
        SitModel model(SitConfig config) throws IOException {
            if (file == null) {
                return SitModel.withWeights(config, stateDict, origin);
            }
            try (TensorSource tensors = WeightsFile.openForSampling(file, new ExpectedStateDict(config))) {
                return SitModel.withWeights(config, tensors, origin, DataType.FLOAT);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause(); // a storage that fails to read is the file's problem, as when read whole
            }
        }
    }

    /** The weights of one sampler: its ckpt, else the training's EMA, else model.ckpt. */
    private WeightsSource weights(SampleSection s, Map<String, INDArray> trainedEma, long step) throws IOException {
        String ckpt = s.ckpt() != null ? s.ckpt() : trainedEma != null ? null : resolved.experiment().model().ckpt();
        if (ckpt == null) {
            if (trainedEma == null) {
                throw new IllegalArgumentException("nothing to sample from: give the weights with --ckpt (sample.ckpt: "
                        + "a .pt, .safetensors or checkpoint folder), model.ckpt, or a train: section");
            }
            return new WeightsSource(trainedEma, "the EMA weights of training step " + step);
        }
        Path path = Path.of(ckpt);
        return new WeightsSource(null, path, WeightsFile.origin(path, true));
    }

    /**
     * The SD VAE that turns latents into images: {@code decode:} (else {@code data.vae}) as a short name
     * ({@code ema}, {@code mse}) or a path; null for {@code none} and for pixel-space models.
     */
    private AutoencoderKl decoder(SampleSection s) throws IOException {
        Path path = decoderPath(s, true);
        if (path == null) {
            return null;
        }
        String spec = s.decode() != null ? s.decode() : resolved.experiment().data().vae();
        AutoencoderKl vae = new AutoencoderKl(VaeWeights.load(path));
        if (vae.config().embedDim() != config.inChannels()) {
            throw new IllegalArgumentException("the VAE " + spec + " has " + vae.config().embedDim()
                    + " latent channels, but the model makes " + config.inChannels() + " (model.in_channels)");
        }
        listener.info("decoding latents with the VAE " + path);
        return vae;
    }

    /**
     * Checks, before any heavy work (training first), that every sampler's VAE weights are on this
     * machine; a missing one stops the run with the instructions to get it.
     */
    public void checkDecodersAvailable() {
        for (SampleSection s : resolved.experiment().sample()) {
            decoderPath(s, false);
        }
    }

    /** Where the decoding VAE of {@code s} is, or null when its samples are not decoded. */
    private Path decoderPath(SampleSection s, boolean warn) {
        String spec = s.decode() != null ? s.decode() : resolved.experiment().data().vae();
        if (spec == null || spec.equalsIgnoreCase("none")) {
            return null;
        }
        if (config.inChannels() == 1 || config.inChannels() == 3) {
            if (warn) {
                listener.warning("decode: " + spec + " is ignored: this model works in pixel space (in_channels "
                        + config.inChannels() + ")");
            }
            return null;
        }
        try {
            return PretrainedVae.resolve(spec, PretrainedVae.defaultEnvironment());
        } catch (VaeNotFoundException e) {
            throw new dev.sit.core.io.InvalidInputException(e.getMessage() + "\nOr keep the latents without decoding: --decode none "
                    + "(with --save-npy; decode later with sit vae decode).", e);
        }
    }

    /** Everything mass samples depend on but N: resolved model, transport and sampler, and the weights. */
    private String settings(ResolvedSampler r, WeightsSource weights, AutoencoderKl vae) throws IOException {
        ObjectNode tree = ExperimentTree.of(resolved);
        ObjectNode kept = tree.objectNode();
        kept.set("model", tree.get("model"));
        kept.set("transport", tree.get("transport"));
        ObjectNode sampler = ((ArrayNode) tree.get("sample")).get(r.index()).deepCopy();
        sampler.remove("num_fid_samples");
        sampler.remove("ckpt");
        sampler.put("seed", r.seed());
        kept.set("sample", sampler);
        kept.put("weights", weights.origin());
        // folders of earlier versions were seeded per batch: resuming one would mix two kinds of images
        kept.put("seeding", "noise and labels keyed by each sample's global index");
        kept.put("vae", vae == null ? "none" : String.join("; ", vae.weights().notes()));
        ((ObjectNode) kept.get("model")).remove("ckpt");
        return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().writeValueAsString(kept);
    }

}
