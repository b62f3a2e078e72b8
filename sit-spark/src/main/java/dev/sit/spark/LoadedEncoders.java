package dev.sit.spark;

import dev.sit.api.data.Dataset;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.ClusterLatentExtraction;
import dev.sit.core.vae.PretrainedVae;
import dev.sit.core.vae.VaeConfig;
import dev.sit.core.vae.VaeWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The VAEs (with their opened datasets) this JVM has loaded, per extraction request: a task borrows one, loading the
 * weights only when every loaded one is busy, and gives it back, so an executor loads the VAE once per core it runs
 * tasks on, as {@link LoadedSamplers} does for samplers. Concurrent tasks never share one (a SameDiff graph is not
 * made for concurrent execution).
 */
final class LoadedEncoders {

    /** A VAE and the images it encodes. */
    record Encoder(AutoencoderKl vae, Dataset images) {
    }

    private static final Map<ClusterLatentExtraction.Request, Queue<Encoder>> IDLE = new ConcurrentHashMap<>();

    private LoadedEncoders() {
    }

    static Encoder borrow(ClusterLatentExtraction.Request request) throws IOException {
        Encoder idle = IDLE.computeIfAbsent(request, r -> new ConcurrentLinkedQueue<>()).poll();
        return idle != null ? idle : load(request);
    }

    static void giveBack(ClusterLatentExtraction.Request request, Encoder encoder) {
        IDLE.computeIfAbsent(request, r -> new ConcurrentLinkedQueue<>()).add(encoder);
    }

    /** Closes the datasets of this request's idle encoders and forgets them (the driver, when the job is over). */
    static void release(ClusterLatentExtraction.Request request) throws Exception {
        Queue<Encoder> idle = IDLE.remove(request);
        if (idle != null) {
            for (Encoder e : idle) {
                e.images().close();
            }
        }
    }

    private static Encoder load(ClusterLatentExtraction.Request request) throws IOException {
        VaeConfig config = request.vaeConfig() == null ? null : VaeConfig.fromDiffusersConfig(Path.of(request.vaeConfig()));
        AutoencoderKl vae = new AutoencoderKl(VaeWeights.forSpec(request.vaeSpec(), config,
                PretrainedVae.defaultEnvironment()));
        return new Encoder(vae, request.images().open());
    }
}
