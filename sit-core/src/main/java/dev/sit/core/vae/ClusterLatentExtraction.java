package dev.sit.core.vae;

import java.io.PrintStream;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Latent extraction spread over the processes of a cluster ({@code sit extract-latents --spark MASTER}): the images
 * are cut into partitions of whole shards, each process loads the VAE once and writes its shards (staged, moved into
 * the output folder when complete), and the caller's process writes the manifest. Every latent is seeded by its
 * image's index ({@link LatentExtraction}), so the folder is byte-identical to a single-process extraction's, and an
 * interrupted one resumes after its complete shards either way. Implementations are found with {@link ServiceLoader}
 * ({@code sit-spark} provides the Spark one).
 */
public interface ClusterLatentExtraction {

    /**
     * One extraction job; every path must be readable (the output folder writable) by every process.
     *
     * @param vaeSpec   what {@code --vae} resolves to on every process: ema, mse or an absolute path
     * @param vaeConfig absolute path of a diffusers config.json, or null
     * @param out       the output folder (absolute)
     */
    record Request(String master, ExtractionImages images, String vaeSpec, String vaeConfig,
                   LatentExtraction.Settings settings, String out) implements java.io.Serializable {
    }

    /** The word of the command line that selects it ({@code spark}). */
    String name();

    /** Runs the job, drawing one progress bar for the whole job on {@code progress}, and returns how it went. */
    LatentExtraction.Result run(Request request, PrintStream progress) throws Exception;

    /** The implementation named {@code name} on the class path, if any. */
    static Optional<ClusterLatentExtraction> find(String name) {
        for (ClusterLatentExtraction c : ServiceLoader.load(ClusterLatentExtraction.class)) {
            if (c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
