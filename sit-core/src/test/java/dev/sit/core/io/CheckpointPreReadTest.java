package dev.sit.core.io;

import static dev.sit.core.io.IoTestFiles.golden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.core.model.ExpectedStateDict;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.StateDictMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpoint read for a model is compared with it on the pickle alone: keys, declared shapes and
 * declared storage sizes, before any storage is unpacked; so a zip bomb (a 1 GiB storage of zeros
 * deflated to about a megabyte) is refused at once.
 */
class CheckpointPreReadTest {

    /** The golden {@code model-tiny} architecture. */
    private static final SitConfig TINY = new SitConfig(64, 2, 4, 2, 8, 4, 10, true, 4.0, 0.1);

    @TempDir
    Path tmp;

    @Test
    void aFittingCheckpointReadsAsWithoutTheCheck() throws IOException {
        Map<String, INDArray> checked = TorchCheckpointReader.read(golden("model-tiny/model.pt"),
                new ExpectedStateDict(TINY)).weightsForSampling();
        Map<String, INDArray> plain = TorchCheckpointReader.read(golden("model-tiny/model.pt")).weightsForSampling();
        assertThat(checked.keySet()).containsExactlyElementsOf(plain.keySet());
        plain.forEach((k, v) -> assertThat(checked.get(k)).as(k).isEqualTo(v));
        TorchCheckpoint train = TorchCheckpointReader.read(golden("train-checkpoint/0000002.pt"),
                new ExpectedStateDict(TINY));
        assertThat(train.ema()).isPresent();
    }

    @Test
    void aZipBombWithForeignKeysIsRefusedBeforeUnpacking() throws IOException {
        Path bomb = tmp.resolve("bomb.pt");
        HostileCheckpoints.zipBomb(bomb, Map.of("weights", new long[] {HostileCheckpoints.ONE_GIB_OF_FLOATS}),
                HostileCheckpoints.ONE_GIB_OF_FLOATS);
        assertThat(Files.size(bomb)).isLessThan(2L << 20);
        long start = System.nanoTime();
        assertThatThrownBy(() -> TorchCheckpointReader.read(bomb, new ExpectedStateDict(TINY)))
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("does not fit this model").hasMessageContaining("unexpected keys [weights]")
                .hasMessageContaining("missing keys [pos_embed");
        // unpacking 1 GiB takes seconds; comparing the pickle's keys takes milliseconds
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
    }

    @Test
    void fittingKeysOnAnOversizedStorageAreRefusedBeforeUnpacking() throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        new ExpectedStateDict(TINY).config().parameters().forEach(p -> shapes.put(p.key(), p.shape()));
        Path bomb = tmp.resolve("views.pt");
        HostileCheckpoints.zipBomb(bomb, shapes, HostileCheckpoints.ONE_GIB_OF_FLOATS / 16);
        long start = System.nanoTime();
        assertThatThrownBy(() -> TorchCheckpointReader.read(bomb, new ExpectedStateDict(TINY)))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("storage '0' declares 16777216 elements")
                .hasMessageContaining("more than the model's largest tensor").hasMessageContaining("refusing to unpack");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
    }

    @Test
    void wrongShapesAreNamedFromTheDeclarationAlone() throws IOException {
        SitConfig noSigma = new SitConfig(64, 2, 4, 2, 8, 4, 10, false, 4.0, 0.1);
        assertThatThrownBy(() -> TorchCheckpointReader.read(golden("model-tiny/model.pt"), new ExpectedStateDict(noSigma)))
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("final_layer.linear.weight: checkpoint shape [32, 64], model shape [16, 64]")
                .hasMessageContaining("learn_sigma");
    }
}
