package dev.sit.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sit.core.io.AtomicFile;
import dev.sit.core.io.NpyFile;
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
 *
 * <p>Until the manifest exists, {@value #PROGRESS_FILE} records the writer's settings, so that
 * {@link #resume} can continue an interrupted extraction after its last complete shard (only
 * with the same settings) and {@link #close()} removes it. A resumed set whose last shard is
 * partial (every example written, the manifest not yet) is sealed: closing it writes the manifest.
 *
 * <p>{@link #partition} writes a run of shards numbered from a given index into a staging folder and
 * no manifest: a cluster task's part of a set, moved into the set's folder when complete.
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
    /** Index of this writer's first shard in the whole set (0 but for a partition). */
    private final int firstShard;
    /** False for a partition: its shards are part of a set whose manifest the set's owner writes. */
    private final boolean writesManifest;
    /** Resumed after a partial last shard: nothing may follow it. */
    private boolean sealed;

    /** The settings of an unfinished shard set (removed when the manifest is written). */
    public static final String PROGRESS_FILE = "extraction.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param latentShape C, h, w of one latent (4, H/8, W/8 for the SD VAE)
     * @param metadata free-form facts stored in the manifest (image_size, vae, scale_factor, source)
     */
    public LatentShardWriter(Path folder, long[] latentShape, int numClasses, int shardSize, List<String> classNames,
            Map<String, Object> metadata) throws IOException {
        this(folder, latentShape, numClasses, shardSize, classNames, metadata, false, 0, true);
    }

    /**
     * A writer that continues the unfinished shard set in {@code folder} (or starts one if the folder holds none):
     * the complete shards there are kept (their checksums recomputed) and {@link #count()} says how many examples
     * they hold; the next example appended is example {@code count()}. The settings must equal those the set was
     * started with (else an error says which differ), and shard files must not exist without them.
     */
    public static LatentShardWriter resume(Path folder, long[] latentShape, int numClasses, int shardSize,
            List<String> classNames, Map<String, Object> metadata) throws IOException {
        return new LatentShardWriter(folder, latentShape, numClasses, shardSize, classNames, metadata, true, 0, true);
    }

    /**
     * A writer of shards {@code firstShard, firstShard + 1, ...} of a set into {@code staging}: the same files, names
     * and bytes the set's own writer would write for those examples, but no progress file and no manifest
     * ({@link #close()} writes the last, possibly partial, shard only).
     */
    public static LatentShardWriter partition(Path staging, long[] latentShape, int numClasses, int shardSize,
            int firstShard) throws IOException {
        return new LatentShardWriter(staging, latentShape, numClasses, shardSize, null, null, false, firstShard, false);
    }

    private LatentShardWriter(Path folder, long[] latentShape, int numClasses, int shardSize, List<String> classNames,
            Map<String, Object> metadata, boolean resume, int firstShard, boolean writesManifest) throws IOException {
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
        this.firstShard = firstShard;
        this.writesManifest = writesManifest;
        if (!writesManifest) {
            return;
        }
        JsonNode settings = JSON.readTree(JSON.writeValueAsBytes(settings()));
        Path progress = folder.resolve(PROGRESS_FILE);
        if (resume && Files.isRegularFile(progress)) {
            JsonNode stored;
            try {
                stored = JSON.readTree(progress.toFile());
            } catch (IOException e) {
                throw new IOException(progress + ": cannot read the unfinished extraction's settings: " + e.getMessage(), e);
            }
            if (!settings.equals(stored)) {
                throw new IOException(folder + " holds an unfinished extraction with other settings:\n  there: " + stored
                        + "\n  now:   " + settings + "\ncontinue it with the same settings, or choose a new folder");
            }
            keepCompleteShards();
        } else if (resume && hasShardFiles(folder)) {
            throw new IOException(folder + " holds shard files but no " + PROGRESS_FILE
                    + ": they are not an extraction sit can continue; choose a new folder or delete them");
        }
        AtomicFile.write(progress, JSON.writeValueAsBytes(settings));
    }

    private Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latent_shape", latentShape);
        m.put("num_classes", numClasses);
        m.put("shard_size", shardSize);
        m.put("class_names", classNames);
        m.put("metadata", metadata);
        return m;
    }

    /**
     * Adopts shards 0, 1, ... while both files of a shard exist (each was renamed into place whole); a partial
     * shard is adopted only as the last one (the extraction ended there) and seals the writer.
     */
    private void keepCompleteShards() throws IOException {
        while (!sealed) {
            String stem = String.format("shard-%06d", shards.size());
            Path x = folder.resolve(stem + "-latents.npy");
            Path y = folder.resolve(stem + "-labels.npy");
            if (!Files.isRegularFile(x) || !Files.isRegularFile(y)) {
                return;
            }
            byte[] xBytes = Files.readAllBytes(x);
            byte[] yBytes = Files.readAllBytes(y);
            INDArray xs = NpyFile.decode(xBytes, x.toString());
            INDArray ys = NpyFile.decode(yBytes, y.toString());
            long n = ys.length();
            boolean last = !Files.exists(folder.resolve(String.format("shard-%06d-latents.npy", shards.size() + 1)));
            long[] want = {n == shardSize || !last || n < 1 ? shardSize : n, latentShape[0], latentShape[1],
                    latentShape[2]};
            if (xs.dataType() != DataType.FLOAT || !Arrays.equals(xs.shape(), want) || n != want[0]) {
                throw new IOException(x + " holds " + xs.dataType() + " " + Arrays.toString(xs.shape()) + " and " + y + " "
                        + ys.length() + " labels, but a complete shard of this extraction is FLOAT " + Arrays.toString(want)
                        + ": the folder was written otherwise; choose a new folder or delete it");
            }
            shards.add(new LatentManifest.Shard(x.getFileName().toString(), y.getFileName().toString(), n,
                    sha256(xBytes), sha256(yBytes)));
            count += n;
            sealed = n < shardSize;
        }
    }

    private static boolean hasShardFiles(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("shard-"));
        }
    }

    /** Appends latents (N, C, h, w) and their labels (N). */
    public void append(INDArray batchLatents, long[] batchLabels) throws IOException {
        if (closed) {
            throw new IllegalStateException("writer for " + folder + " is closed");
        }
        if (sealed) {
            throw new IllegalStateException(folder + " ends with a partial shard after " + count + " examples: nothing"
                    + " can follow it (the data now has more examples than when it was extracted); choose a new folder");
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

    /** True when the resumed set ended with a partial shard: it is complete, only the manifest is missing. */
    public boolean sealed() {
        return sealed;
    }

    /** Number of examples appended so far. */
    public long count() {
        return count + buffered;
    }

    private void flush() throws IOException {
        if (buffered == 0) {
            return;
        }
        String stem = String.format("shard-%06d", firstShard + shards.size());
        INDArray x = Nd4j.create(Arrays.copyOf(latents, buffered * exampleFloats),
                new long[] {buffered, latentShape[0], latentShape[1], latentShape[2]}, 'c');
        INDArray y = Nd4j.createFromArray(Arrays.copyOf(labels, buffered));
        byte[] xBytes = NpyFile.encode(x);
        byte[] yBytes = NpyFile.encode(y);
        AtomicFile.write(folder.resolve(stem + "-latents.npy"), xBytes);
        AtomicFile.write(folder.resolve(stem + "-labels.npy"), yBytes);
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
        if (!writesManifest) {
            return;
        }
        if (shards.isEmpty()) {
            throw new IOException("no latents were written to " + folder + "; no manifest written");
        }
        new LatentManifest(LatentManifest.FORMAT, LatentManifest.VERSION, latentShape, numClasses, count, classNames,
                metadata, List.copyOf(shards)).write(folder);
        Files.deleteIfExists(folder.resolve(PROGRESS_FILE));
    }
}
