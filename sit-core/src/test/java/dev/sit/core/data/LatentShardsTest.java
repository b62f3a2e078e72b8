package dev.sit.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class LatentShardsTest {

    @TempDir
    Path tmp;

    /** Ten latents (4, 2, 3): value 1000 i + j for element j of example i; label (7 i) % 5. */
    static INDArray latents(int from, int n) {
        float[] v = new float[n * 24];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 24; j++) {
                v[i * 24 + j] = 1000f * (from + i) + j;
            }
        }
        return Nd4j.create(v, new long[] {n, 4, 2, 3}, 'c');
    }

    static long[] labels(int from, int n) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = (7L * (from + i)) % 5;
        }
        return l;
    }

    Path writeTen() throws IOException {
        Path dir = tmp.resolve("lat");
        try (LatentShardWriter w = new LatentShardWriter(dir, new long[] {4, 2, 3}, 5, 4, List.of("a", "b", "c", "d", "e"),
                Map.of("image_size", 16, "vae", "test"))) {
            w.append(latents(0, 3), labels(0, 3));
            w.append(latents(3, 5), labels(3, 5));
            assertThat(Files.exists(dir.resolve("manifest.json"))).isFalse();
            w.append(latents(8, 2), labels(8, 2));
            assertThat(w.count()).isEqualTo(10);
        }
        return dir;
    }

    Dataset open(Path dir, String verify) throws IOException {
        return new LatentShardsSource(new LatentsOptions(dir.toString(), verify)).open(new DatasetContext(tmp, 16, 0));
    }

    @Test
    void writesShardsAndReadsThemBackByGlobalIndex() throws Exception {
        Path dir = writeTen();
        LatentManifest m = LatentManifest.read(dir);
        assertThat(m.count()).isEqualTo(10);
        assertThat(m.shards()).extracting(LatentManifest.Shard::count).containsExactly(4L, 4L, 2L);
        assertThat(m.shards().get(1).latents()).isEqualTo("shard-000001-latents.npy");
        assertThat(m.metadata()).containsEntry("vae", "test");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(7).noneMatch(n -> n.endsWith(".tmp"));
        }
        try (Dataset data = open(dir, null)) {
            assertThat(data.size()).isEqualTo(10);
            assertThat(data.exampleShape()).containsExactly(4, 2, 3);
            assertThat(data.numClasses()).isEqualTo(5);
            assertThat(data.classNames()).containsExactly("a", "b", "c", "d", "e");
            long[] idx = {9, 0, 4, 3, 7, 8};
            Batch b = data.load(idx, 123);
            for (int k = 0; k < idx.length; k++) {
                assertThat(b.x().get(NDArrayIndex.point(k))).isEqualTo(latents((int) idx[k], 1).get(NDArrayIndex.point(0)));
                assertThat(b.y().getLong(k)).isEqualTo((7L * idx[k]) % 5);
            }
        }
    }

    @Test
    void nonFiniteLatentsAreNamedWithTheirExampleWhenLoaded() throws Exception {
        Path dir = tmp.resolve("nan");
        INDArray bad = latents(0, 3);
        bad.putScalar(new long[] {2, 1, 0, 2}, Float.NaN);
        try (LatentShardWriter w = new LatentShardWriter(dir, new long[] {4, 2, 3}, 5, 4, null, null)) {
            w.append(bad, labels(0, 3));
        }
        try (Dataset data = open(dir, "never")) {
            assertThat(data.load(new long[] {0, 1}, 0).x().size(0)).isEqualTo(2);
            assertThatThrownBy(() -> data.load(new long[] {1, 2}, 0))
                    .isInstanceOf(dev.sit.core.io.InvalidInputException.class)
                    .hasMessageContaining("latent shards " + dir).hasMessageContaining("batch of examples [1, 2]")
                    .hasMessageContaining("value NaN at index (1, 1, 0, 2)");
        }
    }

    @Test
    void aCorruptShardIsNamedWhenFirstRead() throws Exception {
        Path dir = writeTen();
        Path shard = dir.resolve("shard-000001-latents.npy");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length - 5] ^= 0x40;
        Files.write(shard, bytes);
        try (Dataset data = open(dir, "first_use")) {
            assertThat(data.load(new long[] {0, 3, 8}, 0).x().size(0)).isEqualTo(3);
            assertThatThrownBy(() -> data.load(new long[] {5}, 0)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("shard-000001-latents.npy").hasMessageContaining("SHA-256");
        }
        assertThatThrownBy(() -> open(dir, "open")).hasMessageContaining("shard-000001-latents.npy");
        try (Dataset unchecked = open(dir, "never")) {
            assertThat(unchecked.load(new long[] {5}, 0).x().size(0)).isEqualTo(1);
        }
    }

    @Test
    void corruptLabelsMissingFilesAndMismatchesAreClearErrors() throws Exception {
        Path dir = writeTen();
        Path labels = dir.resolve("shard-000002-labels.npy");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[bytes.length - 1] ^= 1;
        Files.write(labels, bytes);
        assertThatThrownBy(() -> open(dir, null)).hasMessageContaining("shard-000002-labels.npy");
        Files.delete(labels);
        assertThatThrownBy(() -> open(dir, "never")).hasMessageContaining("missing");
        assertThatThrownBy(() -> open(tmp.resolve("nowhere"), null)).hasMessageContaining("extract-latents");
        assertThatThrownBy(() -> new LatentShardWriter(dir, new long[] {4, 2, 3}, 5, 4, null, null))
                .hasMessageContaining("already holds");
        Path other = writeOther();
        assertThatThrownBy(() -> new LatentShardsSource(new LatentsOptions(other.toString(), null))
                .open(new DatasetContext(tmp, 32, 0))).hasMessageContaining("image size 16");
    }

    Path writeOther() throws IOException {
        Path dir = tmp.resolve("other");
        try (LatentShardWriter w = new LatentShardWriter(dir, new long[] {4, 2, 3}, 5, 4, null, Map.of("image_size", 16))) {
            w.append(latents(0, 1), labels(0, 1));
        }
        return dir;
    }

    @Test
    void readsShardsThatNumpyWrote() throws Exception {
        Path dir = tmp.resolve("np");
        Files.createDirectories(dir);
        byte[] x;
        byte[] y;
        try (InputStream a = getClass().getResourceAsStream("/golden/numpy-npz/latents_f4.npy");
                InputStream b = getClass().getResourceAsStream("/golden/numpy-npz/labels_i8.npy")) {
            x = a.readAllBytes();
            y = b.readAllBytes();
        }
        Files.write(dir.resolve("x.npy"), x);
        Files.write(dir.resolve("y.npy"), y);
        String manifest = """
                {"format": "sit-latent-shards", "version": 1, "latent_shape": [4, 2, 2], "num_classes": 1000,
                 "count": 3, "shards": [{"latents": "x.npy", "labels": "y.npy", "count": 3,
                 "latents_sha256": "%s", "labels_sha256": "%s"}]}
                """.formatted(LatentShardWriter.sha256(x), LatentShardWriter.sha256(y));
        Files.writeString(dir.resolve("manifest.json"), manifest);
        try (Dataset data = open(dir, "open")) {
            Batch b = data.load(new long[] {2}, 0);
            assertThat(b.y().getLong(0)).isEqualTo(999);
            assertThat(b.x().getFloat(0, 3, 1, 1)).isEqualTo(47f / 7f - 2f);
        }
    }

    @Test
    void resumingKeepsCompleteShardsAndRefusesForeignFolders() throws Exception {
        Path dir = tmp.resolve("resume");
        LatentShardWriter first = LatentShardWriter.resume(dir, new long[] {4, 2, 3}, 5, 4, null, Map.of("seed", 1));
        first.append(latents(0, 6), labels(0, 6));   // shard 0 written, 2 examples buffered: the process dies here
        assertThat(Files.exists(dir.resolve(LatentShardWriter.PROGRESS_FILE))).isTrue();
        assertThatThrownBy(() -> LatentShardWriter.resume(dir, new long[] {4, 2, 3}, 5, 4, null, Map.of("seed", 2)))
                .hasMessageContaining("other settings");
        try (LatentShardWriter again = LatentShardWriter.resume(dir, new long[] {4, 2, 3}, 5, 4, null, Map.of("seed", 1))) {
            assertThat(again.count()).isEqualTo(4);
            again.append(latents(4, 6), labels(4, 6));
        }
        assertThat(Files.exists(dir.resolve(LatentShardWriter.PROGRESS_FILE))).isFalse();
        try (Dataset data = open(dir, "open")) {
            assertThat(data.size()).isEqualTo(10);
            Batch b = data.load(new long[] {3, 4, 9}, 0);
            assertThat(b.x()).isEqualTo(Nd4j.concat(0, latents(3, 2), latents(9, 1)));
        }
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("shard-000000-latents.npy"), "not ours");
        assertThatThrownBy(() -> LatentShardWriter.resume(foreign, new long[] {4, 2, 3}, 5, 4, null, null))
                .hasMessageContaining("no " + LatentShardWriter.PROGRESS_FILE);
    }
}
