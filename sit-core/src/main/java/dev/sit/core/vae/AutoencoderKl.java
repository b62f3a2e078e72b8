package dev.sit.core.vae;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KL autoencoder of Stable Diffusion (CompVis {@code AutoencoderKL}) on SameDiff graphs.
 *
 * <pre>
 *   moments = quant_conv(encoder(x))                    x in [-1, 1], [N, 3, H, W]
 *   latent  = scalingFactor * (mean + std * eps)        (or the mean), [N, E, H/f, W/f]
 *   image   = decoder(post_quant_conv(latent / scalingFactor))
 * </pre>
 *
 * Work is done in batches of at most {@link #batchSize()} images so that memory stays bounded for any N.
 * The graphs are built for one spatial size at a time (rebuilt when the size changes).
 */
public final class AutoencoderKl {

    /**
     * Images per graph call unless told otherwise. On CPU a larger batch gave no more images/s (SD decoder at 256x256:
     * 6.4 CPU s/image at batch 1 and 6.6 at batch 4) but peak memory grew by about 1.3 GB per image (1.8 GB at batch
     * 1, 5.7 GB at batch 4), so one image at a time; accelerators want larger batches.
     */
    public static final int DEFAULT_BATCH_SIZE = 1;

    /** Receives decoded images batch by batch: {@code images} are the images {@code first .. first+N-1}. */
    @FunctionalInterface
    public interface DecodedBatchSink {
        void accept(long first, INDArray images) throws Exception;
    }

    private final VaeWeights weights;
    private final int batchSize;
    private SameDiff encoder;
    private long[] encoderSize;
    private SameDiff decoder;
    private long[] decoderSize;

    public AutoencoderKl(VaeWeights weights) {
        this(weights, DEFAULT_BATCH_SIZE);
    }

    public AutoencoderKl(VaeWeights weights, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.weights = weights;
        this.batchSize = batchSize;
    }

    public VaeConfig config() {
        return weights.config();
    }

    public VaeWeights weights() {
        return weights;
    }

    public int batchSize() {
        return batchSize;
    }

    /** quant_conv(encoder(x)) for images [N, C, H, W] in [-1, 1]: [N, 2E, H/f, W/f] (log-variance unclamped). */
    public synchronized INDArray encodeMoments(INDArray x) {
        checkImages(x);
        SameDiff graph = encoderFor(x.size(2), x.size(3));
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < x.size(0); start += batchSize) {
            INDArray batch = slice(x, start, Math.min(x.size(0), start + batchSize));
            parts.add(plain(graph.output(Map.of(VaeGraphBuilder.IMAGE, batch), VaeGraphBuilder.MOMENTS)
                    .get(VaeGraphBuilder.MOMENTS)));
            releaseBetweenBatches(start + batchSize < x.size(0));
        }
        return concat(parts);
    }

    /** The posterior of images x. */
    public DiagonalGaussian posterior(INDArray x) {
        return DiagonalGaussian.fromMoments(encodeMoments(x));
    }

    /**
     * The latents SiT works with: {@code scalingFactor * mean}, or {@code scalingFactor * sample} with
     * noise drawn from a generator seeded with {@code seed} (noise for all N images at once, so the result
     * does not depend on the batch size).
     */
    public INDArray encode(INDArray x, LatentSampling sampling, long seed) {
        DiagonalGaussian p = posterior(x);
        INDArray latent = sampling == LatentSampling.MEAN ? p.mode() : p.sample(seed);
        return latent.muli(config().scalingFactor());
    }

    /**
     * {@code scalingFactor * sample} with one noise seed per image: image i's latent equals
     * {@code encode(x_i, SAMPLE, seeds[i])} of that image alone, so it depends neither on the batch nor on the
     * images around it (what a resumable extraction needs).
     */
    public INDArray encode(INDArray x, long[] seeds) {
        return posterior(x).sample(seeds).muli(config().scalingFactor());
    }

    /** {@code scalingFactor * (mean + std * noise)} for given standard-normal noise. */
    public INDArray encode(INDArray x, INDArray noise) {
        return posterior(x).sample(noise).muli(config().scalingFactor());
    }

    /** Images for scaled latents: decoder(post_quant_conv(latents / scalingFactor)), [N, C, H, W], unclamped. */
    public INDArray decode(INDArray latents) {
        List<INDArray> parts = new ArrayList<>();
        decode(latents, (first, images) -> parts.add(images));
        return concat(parts);
    }

    /** Decodes scaled latents batch by batch into {@code sink}; only one batch of images exists at a time. */
    public void decode(INDArray latents, DecodedBatchSink sink) {
        decodeUnscaled(latents.div(config().scalingFactor()), sink);
    }

    /** decoder(post_quant_conv(z)) for an unscaled latent z, batch by batch into {@code sink}. */
    public synchronized void decodeUnscaled(INDArray z, DecodedBatchSink sink) {
        checkLatents(z);
        SameDiff graph = decoderFor(z.size(2), z.size(3));
        for (long start = 0; start < z.size(0); start += batchSize) {
            INDArray batch = slice(z, start, Math.min(z.size(0), start + batchSize));
            INDArray images = plain(graph.output(Map.of(VaeGraphBuilder.LATENT, batch), VaeGraphBuilder.DECODED)
                    .get(VaeGraphBuilder.DECODED));
            try {
                sink.accept(start, images);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("handling decoded images " + start + ".." + (start + images.size(0) - 1)
                        + " failed: " + e.getMessage(), e);
            }
            releaseBetweenBatches(start + batchSize < z.size(0));
        }
    }

    /** decoder(post_quant_conv(z)) for an unscaled latent z. */
    public INDArray decodeUnscaled(INDArray z) {
        List<INDArray> parts = new ArrayList<>();
        decodeUnscaled(z, (first, images) -> parts.add(images));
        return concat(parts);
    }

    /**
     * Outputs of named modules (CompVis names such as {@code encoder.down.0.block.0}, {@code quant_conv},
     * {@code decoder.mid.attn_1}) for images x (encoder modules) or unscaled latents (decoder modules), in one
     * graph call without batching: for debugging against a reference.
     */
    public synchronized Map<String, INDArray> activations(INDArray input, boolean encoderSide, List<String> modules) {
        SameDiff graph;
        String placeholder;
        if (encoderSide) {
            checkImages(input);
            graph = encoderFor(input.size(2), input.size(3));
            placeholder = VaeGraphBuilder.IMAGE;
        } else {
            checkLatents(input);
            graph = decoderFor(input.size(2), input.size(3));
            placeholder = VaeGraphBuilder.LATENT;
        }
        List<String> names = new ArrayList<>();
        for (String m : modules) {
            String name = m.equals("quant_conv") ? VaeGraphBuilder.MOMENTS
                    : m.equals("decoder.conv_out") ? VaeGraphBuilder.DECODED : m + ".out";
            if (!graph.hasVariable(name)) {
                throw new IllegalArgumentException("no module output " + m + " in the " + (encoderSide ? "encoder" : "decoder")
                        + " graph");
            }
            names.add(name);
        }
        Map<String, INDArray> out = graph.output(Map.of(placeholder, input), names);
        Map<String, INDArray> result = new LinkedHashMap<>();
        for (int i = 0; i < modules.size(); i++) {
            INDArray a = out.get(names.get(i));
            boolean internalNhwc = names.get(i).endsWith(".out");   // block outputs are NHWC inside the graphs
            result.put(modules.get(i), internalNhwc ? a.permute(0, 3, 1, 2).dup('c') : a);
        }
        return result;
    }

    /**
     * ND4J frees a batch's off-heap activations (hundreds of MB at 256x256) only when the JVM collects their small
     * Java handles, which a mostly idle heap rarely does: collect between batches (tens of ms against seconds of
     * convolutions) so that memory stays at one batch's worth.
     */
    private static void releaseBetweenBatches(boolean moreToCome) {
        if (moreToCome) {
            System.gc();
        }
    }

    private SameDiff encoderFor(long h, long w) {
        if (encoder == null || encoderSize[0] != h || encoderSize[1] != w) {
            encoder = null;   // let the old graph go before building the next
            encoder = VaeGraphBuilder.encoder(weights, h, w);
            encoderSize = new long[] {h, w};
        }
        return encoder;
    }

    private SameDiff decoderFor(long h, long w) {
        if (decoder == null || decoderSize[0] != h || decoderSize[1] != w) {
            decoder = null;
            decoder = VaeGraphBuilder.decoder(weights, h, w);
            decoderSize = new long[] {h, w};
        }
        return decoder;
    }

    private void checkImages(INDArray x) {
        if (x.rank() != 4 || x.size(1) != config().inChannels()) {
            throw new IllegalArgumentException("images must be [N, " + config().inChannels() + ", H, W], got "
                    + Arrays.toString(x.shape()));
        }
        VaeGraphBuilder.checkDivisible(config(), x.size(2), x.size(3), "image");
    }

    private void checkLatents(INDArray z) {
        if (z.rank() != 4 || z.size(1) != config().embedDim()) {
            throw new IllegalArgumentException("latents must be [N, " + config().embedDim() + ", h, w], got "
                    + Arrays.toString(z.shape()));
        }
    }

    private static INDArray slice(INDArray a, long from, long to) {
        INDArray s = from == 0 && to == a.size(0) ? a : a.get(NDArrayIndex.interval(from, to));
        INDArray f = s.dataType() == DataType.FLOAT ? s : s.castTo(DataType.FLOAT);
        return f.isView() || f.ordering() != 'c' ? f.dup('c') : f;
    }

    /** A c-ordered array that owns its buffer (graph outputs may be permuted views). */
    private static INDArray plain(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    private static INDArray concat(List<INDArray> parts) {
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
