package dev.sit.core.vae;

/** Which latent {@link AutoencoderKl#encode} returns from the posterior. */
public enum LatentSampling {
    /** The posterior mean (mode): deterministic. */
    MEAN,
    /** mean + std * eps with eps ~ N(0, I) (what SiT trains on). */
    SAMPLE
}
