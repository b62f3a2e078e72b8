package dev.sit.core.config;

import dev.sit.api.Doc;
import dev.sit.api.Range;
import java.util.List;

/** The sampling stage and the periodic EMA samples of training (spec sections 5-7 and 9). */
public record SampleSection(
        @Doc("ODE (probability flow) or SDE") SamplerMode mode,
        @Doc("solver: dopri5 (ODE default), euler, rk4, ...; Euler (SDE default) or Heun") PluginChoice method,
        @Doc("ODE: output points; SDE: grid points (steps + 1)") @Range(min = 2) Integer numSteps,
        @Doc("classifier-free guidance scale (1 = none)") @Range(min = 0) Double cfgScale,
        @Doc("guided channels: first3 (reference) or all") GuidanceChannels cfgChannels,
        @Doc("apply guidance only for t in [low, high]") List<Double> guidanceInterval,
        @Doc("SDE diffusion form: sigma, SBDM, constant, linear, decreasing, increasing-decreasing") PluginChoice diffusionForm,
        @Doc("SDE diffusion norm") @Range(min = 0) Double diffusionNorm,
        @Doc("SDE last step: Mean, Tweedie, Euler or None") PluginChoice lastStep,
        @Doc("SDE last step size") @Range(min = 0, max = 1) Double lastStepSize,
        @Doc("ODE: integrate from data to noise") Boolean reverse,
        @Doc("ODE: also estimate log-likelihoods") Boolean likelihood,
        @Doc("class labels of the sample grid") List<Integer> labels,
        @Doc("sampling seed (default: the experiment's)") Long seed,
        @Doc("mass sampling: number of images for FID (PNG folder + .npz)") @Range(min = 1) Integer numFidSamples,
        @Doc("mass sampling: batch size") @Range(min = 1) Integer perProcBatchSize,
        @Doc("decode latents with: none, ema, mse or a VAE path (default: data.vae)") String decode,
        @Doc("weights to sample from (default: the EMA of this run's training)") String ckpt,
        @Doc("also save the raw final states as samples/<name>.npy") Boolean saveNpy,
        @Doc("initial states, one slice per sample (.npy (N, C, H, W)): the noise; the data for reverse or likelihood (default: seeded noise)") String noise,
        @Doc("SDE: recorded noise replayed in order, one slice per draw (.npy (draws, N, C, H, W))") String noiseReplay,
        @Doc("keep every state of the trajectory (saved with save_npy as <name>-trajectory.npy)") Boolean keepTrajectory,
        @Doc("SD3 time shift k of the ODE/SDE grid, t' = t / (k - (k - 1) t): 1 = even steps, > 1 more steps near noise (t = 0)") @Range(min = 0, minExclusive = true, max = 100) Double timeShift,
        @Doc("copies of the model that sample equal shards of each batch side by side, one thread each (each copy "
                + "holds the weights); with a fixed-grid solver the samples are the same bytes as with 1")
        @Range(min = 1, max = 256) Integer replicas) {

    public SampleSection {
        mode = mode == null ? SamplerMode.ODE : mode;
        method = method == null ? PluginChoice.named(mode == SamplerMode.ODE ? "dopri5" : "Euler") : method;
        numSteps = numSteps == null ? 250 : numSteps;
        boolean likelihoodAsked = likelihood != null && likelihood;
        // the reference's defaults: 4.0 for the demo grid, 1.0 for FID samples; likelihoods need no guidance
        cfgScale = cfgScale == null ? (likelihoodAsked || numFidSamples != null ? 1.0 : 4.0) : cfgScale;
        cfgChannels = cfgChannels == null ? GuidanceChannels.FIRST3 : cfgChannels;
        if (guidanceInterval != null) {
            if (guidanceInterval.size() != 2 || guidanceInterval.get(0) > guidanceInterval.get(1)
                    || guidanceInterval.get(0) < 0 || guidanceInterval.get(1) > 1) {
                throw new IllegalArgumentException("guidance_interval must be [low, high] with 0 <= low <= high <= 1, got " + guidanceInterval);
            }
            guidanceInterval = List.copyOf(guidanceInterval);
        }
        diffusionForm = diffusionForm == null ? PluginChoice.named("sigma") : diffusionForm;
        diffusionNorm = diffusionNorm == null ? 1.0 : diffusionNorm;
        lastStep = lastStep == null ? PluginChoice.named("Mean") : lastStep;
        lastStepSize = lastStepSize == null ? 0.04 : lastStepSize;
        reverse = reverse != null && reverse;
        likelihood = likelihood != null && likelihood;
        if (likelihood && mode != SamplerMode.ODE) {
            throw new IllegalArgumentException("likelihood: true (--likelihood) needs mode: ODE");
        }
        if (likelihood && cfgScale != 1.0) {
            throw new IllegalArgumentException("likelihood: true (--likelihood) cannot be combined with guidance; "
                    + "set cfg_scale: 1.0 (--cfg-scale 1), got " + cfgScale);
        }
        if (likelihood && reverse != null && reverse) {
            throw new IllegalArgumentException("likelihood: true (--likelihood) already integrates from data to noise; "
                    + "leave out reverse (--reverse)");
        }
        if (reverse && mode != SamplerMode.ODE) {
            throw new IllegalArgumentException("reverse: true (--reverse) needs mode: ODE");
        }
        if (noiseReplay != null && mode != SamplerMode.SDE) {
            throw new IllegalArgumentException("noise_replay (--noise-replay) replays SDE noise; it needs mode: SDE");
        }
        if (numFidSamples != null) {
            for (Object[] clash : new Object[][] {{likelihood, "likelihood (--likelihood)"}, {reverse, "reverse (--reverse)"},
                    {noise != null, "noise (--noise)"}, {noiseReplay != null, "noise_replay (--noise-replay)"},
                    {keepTrajectory != null && keepTrajectory, "keep_trajectory"}}) {
                if ((Boolean) clash[0]) {
                    throw new IllegalArgumentException("num_fid_samples (mass sampling, --num-fid-samples) draws its own "
                            + "labels and noise per sample; it cannot be combined with " + clash[1]);
                }
            }
        }
        // an empty list is what resolution writes for mass sampling (a resolved experiment loads again)
        if (numFidSamples != null && labels != null && !labels.isEmpty()) {
            throw new IllegalArgumentException("num_fid_samples (mass sampling, --num-fid-samples) draws random labels "
                    + "per sample; leave out labels (--labels)");
        }
        // mass sampling draws its labels; a grid defaults to the reference's eight ImageNet classes
        labels = labels != null ? List.copyOf(labels) : numFidSamples != null ? List.of()
                : List.of(207, 360, 387, 974, 88, 979, 417, 279);
        perProcBatchSize = perProcBatchSize == null ? 32 : perProcBatchSize;
        saveNpy = saveNpy != null && saveNpy;
        keepTrajectory = keepTrajectory != null && keepTrajectory;
        timeShift = timeShift == null ? 1.0 : timeShift;
        replicas = replicas == null ? 1 : replicas;
        if (likelihood && replicas > 1) {
            throw new IllegalArgumentException("likelihood: true (--likelihood) runs one copy of the model; leave out "
                    + "replicas (--replicas), got " + replicas);
        }
        if (labels.isEmpty() && numFidSamples == null) {
            throw new IllegalArgumentException("labels (--labels) must hold at least one class label");
        }
    }
}
