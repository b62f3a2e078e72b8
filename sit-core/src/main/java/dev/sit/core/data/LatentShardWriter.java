package dev.sit.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes a latent shard folder (format: {@link LatentManifest}). Latents are appended in
 * batches; every {@code shardSize} examples a shard (latents {@code .npy} + labels
 * {@code .npy}) is written, each file under a temporary name and then renamed;
 * {@link #close()} writes the last, partial shard and then the manifest, so a folder with a
 * manifest is always complete. Latents are stored as given (already scaled by the VAE factor,
 * 0.18215 for SD); no flipped copies are made here: to train with flips, extract the flipped
 * images as further examples.
 */
public final class LatentShardWriter implements AutoCloseable {

    private final Path folder;
    private final long[] latentShape;
    private final int numClasses;
    private final int shardSize;
    private final List<String> classNames;
    private final Map<String, Object> metadata;
    private final int exampleFloats;
    private final float[] latents;
    private final long[] labels;
    private int buffered;
    private long count;
    private final List<LatentManifest.Shard> shards = new ArrayList<>();
    private boolean closed;

    /**
     * @param latentShape C, h, w of one latent (4, H/8, W/8 for the SD VAE)
     * @param metadata free-form facts stored in the manifest (image_size, vae, scale_factor, source)
     */
    public LatentShardWriter(Path folder, long[] latentShape, int numClasses, int shardSize, List<String> classNames,
            Map<String, Object> metadata) throws IOException {
        if (latentShape.length != 3 || Arrays.stream(latentShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("latent shape must be [C, h, w], got " + Arrays.toString(latentShape));
        }
        if (shardSize < 1 || numClasses < 1) {
            throw new IllegalArgumentException("shard size and number of classes must be positive");
        }
        if (Files.exists(folder.resolve(LatentManifest.FILE_NAME))) {
            throw new IOException(folder + " already holds a finished latent shard set (manifest.json): "
                    + "choose a new folder or delete it");
        }
        Files.createDirectories(folder);
        this.folder = folder;
        this.latentShape = latentShape.clone();
        this.numClasses = numClasses;
        this.shardSize = shardSize;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
        this.metadata = metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
        this.exampleFloats = Math.toIntExact(latentShape[0] * latentShape[1] * latentShape[2]);
        this.latents = new float[Math.multiplyExact(shardSize, exampleFloats)];
        this.labels = new long[shardSize];
    }

    /** Appends latents (N, C, h, w) and their labels (N). */
    public void append(INDArray batchLatents, long[] batchLabels) throws IOException {
        if (closed) {
            throw new IllegalStateException("writer for " + folder + " is closed");
        }
        long[] s = batchLatents.shape();
        if (batchLatents.rank() != 4 || s[1] != latentShape[0] || s[2] != latentShape[1] || s[3] != latentShape[2]) {
            throw new IllegalArgumentException("latents must be (N, " + latentShape[0] + ", " + latentShape[1] + ", "
                    + latentShape[2] + "), got " + Arrays.toString(s));
        }
        if (s[0] != batchLabels.length) {
            throw new IllegalArgumentException(s[0] + " latents but " + batchLabels.length + " labels");
        }
        for (long l : batchLabels) {
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException("label " + l + " outside [0, " + numClasses + ")");
            }
        }
        float[] values = batchLatents.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int n = (int) s[0];
        int done = 0;
        while (done < n) {
            int take = Math.min(n - done, shardSize - buffered);
            System.arraycopy(values, done * exampleFloats, latents, buffered * exampleFloats, take * exampleFloats);
            System.arraycopy(batchLabels, done, labels, buffered, take);
            buffered += take;
            done += take;
            if (buffered == shardSize) {
                flush();
            }
        }
    }

    /** Number of examples appended so far. */
    public long count() {
        return count + buffered;
    }

    private void flush() throws IOException {
        if (buffered == 0) {
            return;
        }
        String stem = String.format("shard-%06d", shards.size());
        INDArray x = Nd4j.create(Arrays.copyOf(latents, buffered * exampleFloats),
                new long[] {buffered, latentShape[0], latentShape[1], latentShape[2]}, 'c');
        INDArray y = Nd4j.createFromArray(Arrays.copyOf(labels, buffered));
        byte[] xBytes = NpyCodec.encode(x);
        byte[] yBytes = NpyCodec.encode(y);
        NpyCodec.writeAtomically(folder.resolve(stem + "-latents.npy"), xBytes);
        NpyCodec.writeAtomically(folder.resolve(stem + "-labels.npy"), yBytes);
        shards.add(new LatentManifest.Shard(stem + "-latents.npy", stem + "-labels.npy", buffered, sha256(xBytes), sha256(yBytes)));
        count += buffered;
        buffered = 0;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the last shard and the manifest. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        flush();
        if (shards.isEmpty()) {
            throw new IOException("no latents were written to " + folder + "; no manifest written");
        }
        new LatentManifest(LatentManifest.FORMAT, LatentManifest.VERSION, latentShape, numClasses, count, classNames,
                metadata, List.copyOf(shards)).write(folder);
    }
}
