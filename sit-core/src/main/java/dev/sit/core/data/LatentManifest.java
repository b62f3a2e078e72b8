package dev.sit.core.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sit.core.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a latent shard folder, the format {@code sit extract-latents}
 * writes and the {@code latents} dataset reads:
 * <pre>{@code
 * {
 *   "format": "sit-latent-shards", "version": 1,
 *   "latent_shape": [4, 32, 32],         // C, h, w of one latent
 *   "num_classes": 1000, "count": 1281167,
 *   "class_names": ["n01440764", ...],   // optional
 *   "metadata": {"image_size": 256, "vae": "sd-vae-ft-ema", "scale_factor": 0.18215, ...},
 *   "shards": [
 *     {"latents": "shard-000000-latents.npy", "labels": "shard-000000-labels.npy", "count": 4096,
 *      "latents_sha256": "<hex>", "labels_sha256": "<hex>"}, ...
 *   ]
 * }
 * }</pre>
 * Each latents file is a NumPy {@code .npy} float32 (count, C, h, w), C order, little-endian,
 * values already multiplied by the VAE scale factor; each labels file an int64 (count)
 * {@code .npy}. Shards are listed in global-index order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LatentManifest(
        @JsonProperty("format") String format,
        @JsonProperty("version") int version,
        @JsonProperty("latent_shape") long[] latentShape,
        @JsonProperty("num_classes") int numClasses,
        @JsonProperty("count") long count,
        @JsonProperty("class_names") List<String> classNames,
        @JsonProperty("metadata") Map<String, Object> metadata,
        @JsonProperty("shards") List<Shard> shards) {

    public static final String FORMAT = "sit-latent-shards";
    public static final int VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One shard: its two files, its number of examples and their SHA-256 checksums (lower-case hex). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shard(
            @JsonProperty("latents") String latents,
            @JsonProperty("labels") String labels,
            @JsonProperty("count") long count,
            @JsonProperty("latents_sha256") String latentsSha256,
            @JsonProperty("labels_sha256") String labelsSha256) {
    }

    public static LatentManifest read(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no latent shard manifest at " + file
                    + ": point data.source.options.folder at the output folder of sit extract-latents");
        }
        LatentManifest m;
        try {
            m = JSON.readValue(file.toFile(), LatentManifest.class);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read the latent shard manifest: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(m.format()) || m.version() != VERSION) {
            throw new IOException(file + ": format '" + m.format() + "' version " + m.version() + ", expected '"
                    + FORMAT + "' version " + VERSION);
        }
        if (m.latentShape() == null || m.latentShape().length != 3 || m.shards() == null || m.shards().isEmpty()) {
            throw new IOException(file + ": needs latent_shape [C, h, w] and at least one shard");
        }
        long total = m.shards().stream().mapToLong(Shard::count).sum();
        if (total != m.count()) {
            throw new IOException(file + ": count is " + m.count() + " but the shards hold " + total);
        }
        return m;
    }

    void write(Path folder) throws IOException {
        AtomicFile.write(folder.resolve(FILE_NAME), JSON.writeValueAsBytes(this));
    }
}
