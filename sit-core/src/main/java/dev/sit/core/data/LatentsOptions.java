package dev.sit.core.data;

import dev.sit.api.Doc;
import java.util.Locale;
import java.util.Set;

/** Options of the {@code latents} dataset (YAML keys {@code folder}, {@code verify}). */
public record LatentsOptions(
        @Doc("folder written by sit extract-latents (manifest.json + shard-NNNNNN-*.npy); relative to the experiment file")
        String folder,
        @Doc("when to check shard SHA-256 checksums: first_use (when a shard is first read), open (all at start), never")
        String verify) {

    public LatentsOptions {
        verify = verify == null ? "first_use" : verify.toLowerCase(Locale.ROOT);
        if (!Set.of("first_use", "open", "never").contains(verify)) {
            throw new IllegalArgumentException("latents verify must be first_use, open or never, got '" + verify + "'");
        }
    }
}
