package dev.sit.core.config;

/** Which output channels classifier-free guidance mixes. */
public enum GuidanceChannels {
    /** The reference's rule: only channels 0-2 (the fourth latent channel passes unguided). */
    FIRST3,
    /** Standard guidance on every channel. */
    ALL
}
