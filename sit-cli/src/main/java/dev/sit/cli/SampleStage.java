package dev.sit.cli;

import com.google.inject.Inject;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.api.sampling.NoiseSource;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.SampleSection;
import dev.sit.core.config.SamplerMode;
import dev.sit.core.image.ImageGrid;
import dev.sit.core.image.PngImage;
import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.io.TorchCheckpointReader;
import dev.sit.core.model.Guidance;
import dev.sit.core.model.GuidedModel;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import dev.sit.core.sampling.OdeSampler;
import dev.sit.core.sampling.OdeSamples;
import dev.sit.core.sampling.SdeSampler;
import dev.sit.core.sampling.SdeSamples;
import dev.sit.core.sampling.SeededNoise;
import dev.sit.core.train.RunFolder;
import dev.sit.core.transport.Interval;
import dev.sit.core.transport.IntervalRequest;
import dev.sit.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code sample:} stage: for every sampler setting, class-conditional samples from the EMA
 * weights with classifier-free guidance, through the chosen ODE or SDE solver, saved as a PNG
 * grid (one image per label, in order) and logged.
 */
final class SampleStage {

    private final ResolvedExperiment resolved;
    private final SitConfig config;
    private final Transport transport;
    private final List<MetricsLogger> loggers;

    @Inject
    SampleStage(ResolvedExperiment resolved, SitConfig config, Transport transport, List<MetricsLogger> loggers) {
        this.resolved = resolved;
        this.config = config;
        this.transport = transport;
        this.loggers = loggers;
    }

    /** Runs every sampler setting; {@code trainedEma} are the weights training just produced, or null. */
    void run(RunFolder folder, Map<String, INDArray> trainedEma, long step) throws IOException {
        List<SampleSection> samplers = resolved.experiment().sample();
        for (int k = 0; k < samplers.size(); k++) {
            SampleSection s = samplers.get(k);
            SitModel model = SitModel.withWeights(config, weights(s, trainedEma), "the weights to sample from");
            INDArray samples = sample(k, s, model);
            Path png = folder.samples().resolve(String.format(Locale.ROOT, "%s-%d-%s.png",
                    s.mode().name().toLowerCase(Locale.ROOT), k, resolved.plugins().get("sample." + k + ".method").name()));
            if (s.saveNpy()) {
                Path npy = png.resolveSibling(png.getFileName().toString().replace(".png", ".npy"));
                dev.sit.core.io.NpyFile.write(npy, samples.castTo(DataType.FLOAT));
                System.err.println("raw samples: " + npy);
            }
            writeGrid(samples, png, step, "sample " + k + " (" + s.mode() + ")");
        }
    }

    /** Samples of one sampler setting: (N, C, H, W) final states, one per label. */
    INDArray sample(int k, SampleSection s, SitModel model) {
        Experiment e = resolved.experiment();
        long seed = s.seed() != null ? s.seed() : e.seed();
        Guidance guidance = Guidance.of(s.cfgScale(), s.cfgChannels() == dev.sit.core.config.GuidanceChannels.ALL
                ? Guidance.Channels.ALL : Guidance.Channels.FIRST3);
        if (s.guidanceInterval() != null) {
            guidance = guidance.withInterval(s.guidanceInterval().get(0), s.guidanceInterval().get(1));
        }
        GuidedModel guided = new GuidedModel(model, guidance);
        int n = s.labels().size();
        INDArray labels = Nd4j.createFromArray(s.labels().stream().mapToInt(Integer::intValue).toArray());
        NoiseSource noise = new SeededNoise(seed);
        INDArray x0 = noise.next(n, config.inChannels(), config.inputSize(), config.inputSize());
        long started = System.nanoTime();
        if (s.mode() == SamplerMode.ODE) {
            Interval interval = transport.interval(IntervalRequest.ode(s.reverse()));
            OdeSampler sampler = new OdeSampler(resolved.plugin("sample." + k + ".method", ExtensionPoint.ODE_SOLVER).create());
            OdeSamples out = sampler.sample((x, t) -> transport.velocity(x, guided.velocityOut(x, t, labels), t),
                    x0, interval.t0(), interval.t1(), s.numSteps(), false);
            report(k, s, n, started, out.stats().functionEvaluations() + " NFE ("
                    + out.stats().acceptedSteps() + " accepted, " + out.stats().rejectedSteps() + " rejected steps)");
            return out.last();
        }
        String lastStepName = resolved.plugins().get("sample." + k + ".last_step").name();
        SdeSampler sampler = new SdeSampler(
                resolved.plugin("sample." + k + ".method", ExtensionPoint.SDE_SOLVER).create(),
                resolved.plugin("sample." + k + ".diffusion_form", ExtensionPoint.DIFFUSION_FORM).create(),
                s.diffusionNorm(),
                resolved.plugin("sample." + k + ".last_step", ExtensionPoint.LAST_STEP).create(),
                lastStepName.equalsIgnoreCase("None") ? 0.0 : s.lastStepSize());
        boolean sbdm = resolved.plugins().get("sample." + k + ".diffusion_form").name().equalsIgnoreCase("SBDM");
        SdeSamples out = sampler.sample(transport, (x, t) -> guided.velocityOut(x, t, labels), x0,
                sampler.interval(transport, sbdm), s.numSteps(), new SeededNoise(seed + 1), false);
        report(k, s, n, started, out.modelEvaluations() + " model evaluations");
        return out.last();
    }

    private static void report(int k, SampleSection s, int n, long started, String cost) {
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.printf(Locale.ROOT, "sample %d (%s, %d steps): %d images in %.1f s (%.2f images/s), %s%n",
                k, s.mode(), s.numSteps(), n, seconds, n / seconds, cost);
    }

    private void writeGrid(INDArray samples, Path png, long step, String caption) throws IOException {
        long channels = samples.size(1);
        if (channels != 1 && channels != 3) {
            INDArray raw = samples.castTo(DataType.FLOAT);
            Path npy = png.resolveSibling(png.getFileName().toString().replace(".png", ".npy"));
            dev.sit.core.io.NpyFile.write(npy, raw);
            System.err.println("samples have " + channels + " channels (latents): saved " + npy
                    + "; decoding them to images needs the VAE (data.vae / sample.decode)");
            return;
        }
        int columns = (int) Math.ceil(Math.sqrt(samples.size(0)));
        PngImage image = ImageGrid.withColumns(columns).png(samples);
        Files.write(png, image.png());
        System.err.println("sample grid: " + png);
        for (MetricsLogger logger : loggers) {
            logger.logImage(step, image.logged("samples", caption));
        }
    }

    /** The weights of one sampler: its ckpt, else the training's EMA, else model.ckpt. */
    private Map<String, INDArray> weights(SampleSection s, Map<String, INDArray> trainedEma) throws IOException {
        String ckpt = s.ckpt() != null ? s.ckpt() : trainedEma != null ? null : resolved.experiment().model().ckpt();
        if (ckpt == null) {
            if (trainedEma == null) {
                throw new IllegalArgumentException("nothing to sample from: give sample.ckpt (a .pt, .safetensors or "
                        + "checkpoint folder), model.ckpt, or a train: section");
            }
            return trainedEma;
        }
        Path path = Path.of(ckpt);
        if (Files.isDirectory(path)) {
            return SafetensorsFile.read(path.resolve("ema.safetensors"));
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException("checkpoint " + ckpt + " does not exist");
        }
        return ckpt.endsWith(".safetensors") ? SafetensorsFile.read(path) : TorchCheckpointReader.read(path).weightsForSampling();
    }
}
