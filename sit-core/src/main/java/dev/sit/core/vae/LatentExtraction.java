package dev.sit.core.vae;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.core.data.LatentShardWriter;
import dev.sit.core.progress.ProgressBar;
import dev.sit.core.train.StepSeeds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Encodes an image dataset to latent shards for the {@code latents} dataset ({@code sit extract-latents}): example
 * i's latent is {@code scalingFactor * (mean + std * eps)} with eps from a generator seeded by
 * {@link #seedOf(long, long, boolean) seedOf(seed, i, false)}, so it does not depend on the batch size or on where an
 * interrupted extraction was resumed. With {@code flip}, every image is followed by its horizontal mirror image
 * (latent {@code 2i + 1}, seeded by {@code seedOf(seed, i, true)}), as SiT's feature extraction optionally writes.
 * Resumable: an interrupted extraction continues after its last complete shard ({@link LatentShardWriter#resume}).
 */
public final class LatentExtraction {

    /**
     * @param imageSize image side the dataset gives (the VAE sees {@code imageSize x imageSize})
     * @param batchSize images read and encoded together
     * @param shardSize latents per shard (even with {@code flip}, so that shards end between images)
     * @param seed      seed of the posterior samples
     * @param flip      also write each image's horizontal mirror image
     * @param vaeName   what {@code --vae} said, stored in the manifest
     * @param source    the dataset's description, stored in the manifest
     */
    public record Settings(int imageSize, int batchSize, int shardSize, long seed, boolean flip, String vaeName,
                           String source) implements java.io.Serializable {
        public Settings {
            if (batchSize < 1 || shardSize < 1) {
                throw new IllegalArgumentException("batch size and shard size must be positive, got " + batchSize + ", "
                        + shardSize);
            }
            if (flip && shardSize % 2 != 0) {
                throw new IllegalArgumentException("--flip writes two latents per image: the shard size must be even, got "
                        + shardSize);
            }
        }

        /** Latents written per image: 2 with {@code flip}. */
        public int latentsPerImage() {
            return flip ? 2 : 1;
        }

        /** Images per shard: a partition of whole shards starts and ends between images. */
        public int imagesPerShard() {
            return shardSize / latentsPerImage();
        }
    }

    /** How it went: images encoded in this run, images found already extracted, latents in the set, seconds. */
    public record Result(long imagesEncoded, long imagesResumed, long latents, double seconds) {
        public double imagesPerSecond() {
            return imagesEncoded / Math.max(seconds, 1e-9);
        }
    }

    private static final long ORIGINAL = 0;
    private static final long MIRRORED = 1;

    private LatentExtraction() {
    }

    /** The noise seed of image {@code index} (or its mirror image). */
    public static long seedOf(long seed, long index, boolean mirrored) {
        return StepSeeds.of(seed, index, mirrored ? MIRRORED : ORIGINAL);
    }

    /** Images [N, C, H, W] mirrored left to right. */
    public static INDArray mirrored(INDArray images) {
        return Nd4j.exec(new Reverse(images, 3))[0];
    }

    /** Extracts (or finishes extracting) {@code images} into {@code out}; progress lines go to {@code progress}. */
    public static Result run(Dataset images, AutoencoderKl vae, Path out, Settings s, PrintStream progress)
            throws IOException {
        long total = images.size();
        long start = System.nanoTime();
        // not try-with-resources: closing writes the manifest, which only a finished extraction may do
        LatentShardWriter writer = open(images, vae, out, s);
        long done = writer.count() / s.latentsPerImage();
        long resumed = done;
        if (resumed > 0) {
            progress.printf("%s: resuming after %d of %d images (%d complete latent shards)%n", out, resumed, total,
                    writer.count() / s.shardSize());
        }
        try (ProgressBar bar = new ProgressBar("extract", total, done, progress)) {
            encode(images, vae, writer, s, done, total, end -> bar.update(end, String.format(Locale.ROOT,
                    "%.2f images/s", (end - resumed) / ((System.nanoTime() - start) / 1e9))));
        }
        long latents = writer.count();
        writer.close();
        return new Result(total - resumed, resumed, latents, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The writer of {@code out}'s shard set for these images, resumed after its complete shards (their count says how
     * many images are done): checks that the dataset, the VAE and the settings fit, and that the folder holds no more
     * than the dataset gives. Only a finished extraction may close it (closing writes the manifest).
     */
    public static LatentShardWriter open(Dataset images, AutoencoderKl vae, Path out, Settings s) throws IOException {
        long[] latentShape = latentShape(images, vae, s);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("image_size", s.imageSize());
        metadata.put("vae", s.vaeName());
        metadata.put("scale_factor", vae.config().scalingFactor());
        metadata.put("sampling", "sample");
        metadata.put("seed", s.seed());
        metadata.put("flip", s.flip());
        metadata.put("source", s.source());
        LatentShardWriter writer = LatentShardWriter.resume(out, latentShape, images.numClasses(), s.shardSize(),
                images.classNames(), metadata);
        long done = writer.count() / s.latentsPerImage();
        long total = images.size();
        if (done > total || (writer.sealed() && done < total)) {
            throw new IOException(out + " already holds " + writer.count() + " latents" + (done > total ? ", more than the "
                    + total + " images of the dataset give" : " ending with a partial shard, fewer than the " + total
                    + " images of the dataset give") + ": it was extracted from other data; choose a new folder");
        }
        return writer;
    }

    /**
     * Encodes the images {@code [from, to)} of a partition of whole shards ({@code from} a multiple of
     * {@link Settings#imagesPerShard()}, {@code to} too unless it is the dataset's end) into {@code staging}: the shard
     * files {@link #run} writes for those images, byte for byte, since every latent is seeded by its image's index and
     * the VAE encodes images one at a time. {@code batchDone} hears the end index of each encoded batch. Returns the
     * number of latents written.
     */
    public static long encodePartition(Dataset images, AutoencoderKl vae, Path staging, Settings s, long from, long to,
            LongConsumer batchDone) throws IOException {
        int perShard = s.imagesPerShard();
        if (from % perShard != 0 || (to % perShard != 0 && to != images.size()) || from >= to || to > images.size()) {
            throw new IllegalArgumentException("images [" + from + ", " + to + ") are not whole shards of " + perShard
                    + " images of a dataset of " + images.size());
        }
        LatentShardWriter writer = LatentShardWriter.partition(staging, latentShape(images, vae, s), images.numClasses(),
                s.shardSize(), Math.toIntExact(from / perShard));
        encode(images, vae, writer, s, from, to, batchDone);
        writer.close();
        return writer.count();
    }

    private static long[] latentShape(Dataset images, AutoencoderKl vae, Settings s) {
        long[] shape = images.exampleShape();
        VaeConfig c = vae.config();
        if (shape.length != 3 || shape[0] != c.inChannels() || shape[1] != s.imageSize() || shape[2] != s.imageSize()) {
            throw new IllegalArgumentException("the dataset gives examples " + Arrays.toString(shape) + " but the VAE needs "
                    + c.inChannels() + "-channel images of " + s.imageSize() + "x" + s.imageSize());
        }
        int f = c.downsampleFactor();
        if (s.imageSize() % f != 0) {
            throw new IllegalArgumentException("image size " + s.imageSize() + " is not a multiple of the VAE's"
                    + " downsampling factor " + f);
        }
        return new long[] {c.embedDim(), s.imageSize() / f, s.imageSize() / f};
    }

    /** Encodes images {@code [from, to)} in batches into {@code writer}, reading the next batch ahead. */
    private static void encode(Dataset images, AutoencoderKl vae, LatentShardWriter writer, Settings s, long from,
            long to, LongConsumer batchDone) throws IOException {
        long done = from;
        long[] next = indices(done, Math.min(to, done + s.batchSize()));
        while (done < to) {
            long[] now = next;
            long end = done + now.length;
            next = indices(end, Math.min(to, end + s.batchSize()));
            if (next.length > 0) {
                images.prefetch(next, 0);
            }
            Batch batch = images.load(now, 0);
            long[] seeds = new long[now.length];
            for (int k = 0; k < now.length; k++) {
                seeds[k] = seedOf(s.seed(), now[k], false);
            }
            INDArray latents = vae.encode(batch.x(), seeds);
            long[] labels = batch.y().toLongVector();
            if (s.flip()) {
                long[] mirrorSeeds = new long[now.length];
                for (int k = 0; k < now.length; k++) {
                    mirrorSeeds[k] = seedOf(s.seed(), now[k], true);
                }
                INDArray flipped = vae.encode(mirrored(batch.x()), mirrorSeeds);
                // [N, ...] and [N, ...] -> [N, 2, ...] -> [2N, ...]: image, its mirror, next image, ...
                long[] ls = latents.shape();
                latents = Nd4j.stack(1, latents, flipped).reshape('c', 2 * ls[0], ls[1], ls[2], ls[3]);
                long[] twice = new long[2 * labels.length];
                for (int k = 0; k < labels.length; k++) {
                    twice[2 * k] = labels[k];
                    twice[2 * k + 1] = labels[k];
                }
                labels = twice;
            }
            writer.append(latents, labels);
            done = end;
            batchDone.accept(done);
        }
    }

    private static long[] indices(long from, long to) {
        long[] idx = new long[(int) Math.max(0, to - from)];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = from + k;
        }
        return idx;
    }
}
