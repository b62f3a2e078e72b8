package dev.sit.spark;

import dev.sit.core.config.ExperimentLoader;
import dev.sit.core.config.Overrides;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.YamlDocument;
import dev.sit.core.engine.ClusterMassSampling;
import dev.sit.core.engine.MassSampling;
import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.SitEngine;
import dev.sit.core.plugin.PluginPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The samplers this JVM has loaded, per request: a task borrows one (loading the weights only when
 * every loaded one is busy) and gives it back, so an executor loads the model once per core it
 * runs tasks on, not once per partition. Concurrent tasks never share one: a SameDiff graph is not
 * made for concurrent execution.
 */
final class LoadedSamplers {

    private static final Map<ClusterMassSampling.Request, Queue<MassSampling>> IDLE = new ConcurrentHashMap<>();

    private LoadedSamplers() {
    }

    static MassSampling borrow(ClusterMassSampling.Request request) throws IOException {
        MassSampling idle = IDLE.computeIfAbsent(request, r -> new ConcurrentLinkedQueue<>()).poll();
        return idle != null ? idle : load(request);
    }

    static void giveBack(ClusterMassSampling.Request request, MassSampling sampler) {
        IDLE.computeIfAbsent(request, r -> new ConcurrentLinkedQueue<>()).add(sampler);
    }

    /** Loads the resolved experiment again (the same validation as the driver's) and its weights. */
    private static MassSampling load(ClusterMassSampling.Request request) throws IOException {
        List<Path> plugins = request.plugins().stream().map(Path::of).toList();
        ResolvedExperiment resolved = new ExperimentLoader(plugins, System.getenv(PluginPath.ENVIRONMENT_VARIABLE))
                .load(Path.of("sit-sample.yaml"), YamlDocument.parse("the resolved experiment of sit sample --spark",
                        request.experimentYaml()), Overrides.none());
        return SitEngine.withPluginPath(plugins).sampleStage(resolved, RunListener.NONE)
                .massSampling(request.samplerIndex(), Path.of(request.massDir()));
    }
}
