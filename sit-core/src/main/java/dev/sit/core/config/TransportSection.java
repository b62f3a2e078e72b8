package dev.sit.core.config;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** The transport: path, prediction target, loss weight and eps (spec sections 1-4). */
public record TransportSection(
        @Doc("interpolant: Linear, GVP, VP or a plugin's") PluginChoice path,
        @Doc("prediction target: velocity, score or noise") PluginChoice prediction,
        @Doc("loss weight: none, velocity or likelihood (ignored with a velocity target)") PluginChoice lossWeight,
        @Doc("training eps; default by path and prediction as the reference") @Range(min = 0, max = 0.5, maxExclusive = true) Double trainEps,
        @Doc("sampling eps; default by path and prediction as the reference") @Range(min = 0, max = 0.5, maxExclusive = true) Double sampleEps) {

    public TransportSection {
        path = path == null ? PluginChoice.named("Linear") : path;
        prediction = prediction == null ? PluginChoice.named("velocity") : prediction;
        lossWeight = lossWeight == null ? PluginChoice.named("none") : lossWeight;
    }
}
