package dev.sit.core.vae;

/**
 * Parameter counts of a KL autoencoder by part.
 *
 * @param encoder       the encoder (conv_in ... conv_out)
 * @param decoder       the decoder
 * @param quantConv     the 1x1 moments projection after the encoder
 * @param postQuantConv the 1x1 projection before the decoder
 */
public record VaeParameterCount(long encoder, long decoder, long quantConv, long postQuantConv) {

    /** All parameters. */
    public long total() {
        return encoder + decoder + quantConv + postQuantConv;
    }

    /** What encoding needs: encoder + quant_conv. */
    public long encodePath() {
        return encoder + quantConv;
    }

    /** What decoding needs: post_quant_conv + decoder. */
    public long decodePath() {
        return decoder + postQuantConv;
    }
}
