package dev.sit.core.data;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.core.io.InputTensorCheck;
import dev.sit.core.io.NpyFile;
import dev.sit.core.io.NpyHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random access to latent shards by global index (shards in manifest order). Labels of all
 * shards are read and checked when the dataset opens; a latents file is checked (size, header,
 * SHA-256) when it is first read (or all at open), and a mismatch is an error naming the
 * shard. Latents are returned as stored: no augmentation ({@code augmentationSeed} is unused).
 */
public final class LatentShardDataset implements Dataset {

    private final Path folder;
    private final LatentManifest manifest;
    private final boolean verify;
    private final long[] starts; // global index of each shard's first example
    private final long[] labels;
    private final int exampleFloats;
    private final FileChannel[] channels;
    private final long[] dataOffsets;

    LatentShardDataset(Path folder, LatentManifest manifest, boolean verify) throws IOException {
        this.folder = folder;
        this.manifest = manifest;
        this.verify = verify;
        List<LatentManifest.Shard> shards = manifest.shards();
        this.starts = new long[shards.size() + 1];
        for (int s = 0; s < shards.size(); s++) {
            starts[s + 1] = starts[s] + shards.get(s).count();
        }
        long[] shape = manifest.latentShape();
        this.exampleFloats = Math.toIntExact(shape[0] * shape[1] * shape[2]);
        this.labels = new long[Math.toIntExact(manifest.count())];
        this.channels = new FileChannel[shards.size()];
        this.dataOffsets = new long[shards.size()];
        for (int s = 0; s < shards.size(); s++) {
            LatentManifest.Shard shard = shards.get(s);
            Path file = folder.resolve(shard.labels());
            byte[] bytes = readShardFile(file);
            if (verify) {
                check(shard.labels(), shard.labelsSha256(), LatentShardWriter.sha256(bytes));
            }
            var y = NpyFile.decode(bytes, file.toString());
            if (y.rank() != 1 || y.length() != shard.count()) {
                throw new IOException(file + ": holds " + Arrays.toString(y.shape()) + " labels, the manifest says "
                        + shard.count());
            }
            long[] v = y.toLongVector();
            for (long l : v) {
                if (l < 0 || l >= manifest.numClasses()) {
                    throw new IOException(file + ": label " + l + " outside [0, " + manifest.numClasses() + ")");
                }
            }
            System.arraycopy(v, 0, labels, (int) starts[s], v.length);
        }
    }

    private static byte[] readShardFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("latent shard file " + file + " is missing: the shard set is incomplete");
        }
        return Files.readAllBytes(file);
    }

    private void check(String name, String expected, String actual) throws IOException {
        if (expected == null || !expected.equalsIgnoreCase(actual)) {
            throw new IOException("latent shard " + folder.resolve(name) + " is corrupt: SHA-256 " + actual
                    + " but the manifest says " + expected + "; re-extract it (sit extract-latents) or restore the file");
        }
    }

    /** Checks every latents file now. */
    void verifyAll() throws IOException {
        for (int s = 0; s < channels.length; s++) {
            channel(s);
        }
    }

    /** The open, checked channel of shard {@code s}. */
    private synchronized FileChannel channel(int s) throws IOException {
        if (channels[s] != null) {
            return channels[s];
        }
        LatentManifest.Shard shard = manifest.shards().get(s);
        Path file = folder.resolve(shard.latents());
        if (!Files.isRegularFile(file)) {
            throw new IOException("latent shard file " + file + " is missing: the shard set is incomplete");
        }
        if (verify) {
            check(shard.latents(), shard.latentsSha256(), sha256(file));
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        NpyHeader h;
        try {
            h = NpyFile.readHeader(ch, file.toString());
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        long[] shape = manifest.latentShape();
        long[] want = {shard.count(), shape[0], shape[1], shape[2]};
        if (!h.descr().equals("<f4") || h.fortranOrder() || !Arrays.equals(h.shape(), want)
                || ch.size() != h.headerBytes() + h.dataBytes()) {
            ch.close();
            throw new IOException(file + ": holds " + h + " in " + ch.size() + " bytes, the manifest says C-order float32 "
                    + Arrays.toString(want));
        }
        dataOffsets[s] = h.headerBytes();
        channels[s] = ch;
        return ch;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
                byte[] buf = new byte[1 << 20];
                while (in.read(buf) >= 0) {
                    // digest as we go
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long size() {
        return manifest.count();
    }

    @Override
    public long[] exampleShape() {
        return manifest.latentShape().clone();
    }

    @Override
    public int numClasses() {
        return manifest.numClasses();
    }

    @Override
    public List<String> classNames() {
        return manifest.classNames() != null && manifest.classNames().size() == manifest.numClasses()
                ? manifest.classNames() : Dataset.super.classNames();
    }

    /** The manifest's free-form metadata (image_size, vae, scale_factor, ...). */
    public java.util.Map<String, Object> metadata() {
        return manifest.metadata() == null ? java.util.Map.of() : manifest.metadata();
    }

    @Override
    public Batch load(long[] indices, long augmentationSeed) {
        int n = indices.length;
        float[] x = new float[n * exampleFloats];
        long[] y = new long[n];
        IntStream.range(0, n).forEach(k -> {
            long index = indices[k];
            if (index < 0 || index >= size()) {
                throw new IndexOutOfBoundsException("example " + index + " outside the latent shards of " + size());
            }
            int s = Arrays.binarySearch(starts, index);
            s = s >= 0 ? s : -s - 2;
            while (starts[s + 1] <= index) {
                s++; // skip empty shards
            }
            y[k] = labels[(int) index];
            try {
                FileChannel ch = channel(s);
                ByteBuffer buf = ByteBuffer.allocate(exampleFloats * 4).order(ByteOrder.LITTLE_ENDIAN);
                long pos = dataOffsets[s] + (index - starts[s]) * exampleFloats * 4L;
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException("unexpected end of " + manifest.shards().get(s).latents());
                    }
                }
                buf.flip();
                buf.asFloatBuffer().get(x, k * exampleFloats, exampleFloats);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long[] shape = manifest.latentShape();
        INDArray latents = Nd4j.create(x, new long[] {n, shape[0], shape[1], shape[2]}, 'c');
        // a NaN in the data would turn the loss and then every weight into NaN, far from its cause
        InputTensorCheck.requireFinite(latents, () -> "latent shards " + folder + ", batch of examples "
                + Arrays.toString(indices) + " (the first index is the position in this list)");
        return new Batch(latents, Nd4j.createFromArray(y));
    }

    @Override
    public synchronized void close() throws IOException {
        for (int s = 0; s < channels.length; s++) {
            if (channels[s] != null) {
                channels[s].close();
                channels[s] = null;
            }
        }
    }
}
