package dev.sit.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ReplayNoiseTest {

    @Test
    void replaysOneSlicePerDrawInOrder(@TempDir Path dir) throws Exception {
        INDArray draws = Nd4j.arange(24).castTo(DataType.FLOAT).divi(7).reshape(3, 2, 4);
        Path file = dir.resolve("noise.npy");
        Nd4j.writeAsNumpy(draws.dup('c'), file.toFile());
        ReplayNoise noise = ReplayNoise.fromNpy(file);
        for (int i = 0; i < 3; i++) {
            assertThat(noise.next(2, 4)).isEqualTo(draws.get(NDArrayIndex.point(i)));
        }
        assertThat(noise.used()).isEqualTo(3);
        assertThat(noise.remaining()).isZero();
        assertThatThrownBy(() -> noise.next(2, 4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only 3 draws").hasMessageContaining("draw 4");
    }

    @Test
    void refusesAnotherShape() {
        ReplayNoise noise = new ReplayNoise(Nd4j.zeros(DataType.FLOAT, 2, 3, 4), "test");
        assertThatThrownBy(() -> noise.next(4, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 4]").hasMessageContaining("[4, 3]");
    }

    @Test
    void explainsAMissingOrUnreadableFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ReplayNoise.fromNpy(dir.resolve("none.npy")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        Path bad = dir.resolve("bad.npy");
        Files.writeString(bad, "not numpy");
        assertThatThrownBy(() -> ReplayNoise.fromNpy(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(".npy");
    }
}
