package dev.sit.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A partition writer writes, for its examples, the shard files of the whole set's writer, byte for byte and under the
 * same names; a resumed set whose every shard is written (the last one partial) is sealed and gets the manifest of an
 * uninterrupted run.
 */
class LatentShardPartitionTest {

    private static final long[] SHAPE = {2, 2, 2};

    @TempDir
    Path dir;

    @Test
    void partitionsWriteTheSetsShardsAndASealedSetGetsItsManifest() throws Exception {
        INDArray latents = Nd4j.rand(DataType.FLOAT, 7, 2, 2, 2);
        long[] labels = {0, 1, 2, 0, 1, 2, 0};
        Path whole = dir.resolve("whole");
        try (LatentShardWriter w = new LatentShardWriter(whole, SHAPE, 3, 3, List.of("a", "b", "c"), Map.of("k", 1))) {
            w.append(latents, labels);
        }
        // examples 3..6 are shards 1 (full) and 2 (partial) of shards of 3
        Path staging = dir.resolve("staging");
        LatentShardWriter part = LatentShardWriter.partition(staging, SHAPE, 3, 3, 1);
        part.append(latents.get(NDArrayIndex.interval(3, 7)).dup(), new long[] {0, 1, 2, 0});
        part.close();
        try (var files = Files.list(staging)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("shard-000001-labels.npy",
                    "shard-000001-latents.npy", "shard-000002-labels.npy", "shard-000002-latents.npy");
        }
        for (String f : List.of("shard-000001-labels.npy", "shard-000001-latents.npy", "shard-000002-labels.npy",
                "shard-000002-latents.npy")) {
            assertThat(Files.readAllBytes(staging.resolve(f))).as(f).isEqualTo(Files.readAllBytes(whole.resolve(f)));
        }

        // every shard in place, no manifest yet: resumed, sealed, closed to the same manifest
        Path sealed = dir.resolve("sealed");
        LatentShardWriter.resume(sealed, SHAPE, 3, 3, List.of("a", "b", "c"), Map.of("k", 1)); // the settings file
        try (var files = Files.list(whole)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("shard-")).toList()) {
                Files.copy(f, sealed.resolve(f.getFileName()));
            }
        }
        LatentShardWriter resumed = LatentShardWriter.resume(sealed, SHAPE, 3, 3, List.of("a", "b", "c"), Map.of("k", 1));
        assertThat(resumed.sealed()).isTrue();
        assertThat(resumed.count()).isEqualTo(7);
        assertThatThrownBy(() -> resumed.append(latents.get(NDArrayIndex.interval(0, 1)).dup(), new long[] {0}))
                .hasMessageContaining("ends with a partial shard after 7 examples");
        resumed.close();
        assertThat(Files.readAllBytes(sealed.resolve(LatentManifest.FILE_NAME)))
                .isEqualTo(Files.readAllBytes(whole.resolve(LatentManifest.FILE_NAME)));
        assertThat(sealed.resolve(LatentShardWriter.PROGRESS_FILE)).doesNotExist();

        // a partial shard followed by another one is not a set sit wrote
        Path broken = dir.resolve("broken");
        LatentShardWriter.resume(broken, SHAPE, 3, 3, List.of("a", "b", "c"), Map.of("k", 1));
        Files.copy(whole.resolve("shard-000002-latents.npy"), broken.resolve("shard-000000-latents.npy"));
        Files.copy(whole.resolve("shard-000002-labels.npy"), broken.resolve("shard-000000-labels.npy"));
        Files.copy(whole.resolve("shard-000001-latents.npy"), broken.resolve("shard-000001-latents.npy"));
        Files.copy(whole.resolve("shard-000001-labels.npy"), broken.resolve("shard-000001-labels.npy"));
        assertThatThrownBy(() -> LatentShardWriter.resume(broken, SHAPE, 3, 3, List.of("a", "b", "c"), Map.of("k", 1)))
                .hasMessageContaining("a complete shard of this extraction is FLOAT [3, 2, 2, 2]");
    }
}
