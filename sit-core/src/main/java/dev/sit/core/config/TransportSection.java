package dev.sit.core.config;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/**
 * The transport: path, prediction target, loss weight and eps (spec sections 1-4), and how training
 * draws its times: {@code t = t0 + (t1 - t0) shift(u)}, {@code u} from the time sampler, in SiT's
 * convention (t = 0 noise, t = 1 data); {@code time_shift > 1} favours the noise end as SD3's shift does
 * ({@link dev.sit.core.transport.TimeShift}).
 */
public record TransportSection(
        @Doc("interpolant: Linear, GVP, VP or a plugin's") PluginChoice path,
        @Doc("prediction target: velocity, score or noise") PluginChoice prediction,
        @Doc("loss weight: none, velocity or likelihood (ignored with a velocity target)") PluginChoice lossWeight,
        @Doc("training eps; default by path and prediction as the reference") @Range(min = 0, max = 0.5, maxExclusive = true) Double trainEps,
        @Doc("sampling eps; default by path and prediction as the reference") @Range(min = 0, max = 0.5, maxExclusive = true) Double sampleEps,
        @Doc("distribution of the training times (0 noise, 1 data): uniform (reference), logit-normal, mode or a plugin's") PluginChoice timeSampler,
        @Doc("SD3 time shift k of the training times, t' = t / (k - (k - 1) t): 1 = none, > 1 favours noise (t = 0)") @Range(min = 0, minExclusive = true, max = 100) Double timeShift) {

    public TransportSection {
        path = path == null ? PluginChoice.named("Linear") : path;
        prediction = prediction == null ? PluginChoice.named("velocity") : prediction;
        lossWeight = lossWeight == null ? PluginChoice.named("none") : lossWeight;
        timeSampler = timeSampler == null ? PluginChoice.named("uniform") : timeSampler;
        timeShift = timeShift == null ? 1.0 : timeShift;
    }
}
