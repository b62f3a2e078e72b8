package dev.sit.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sit.api.sampling.NoiseSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ShardedNoiseTest {

    @Test
    void eachShardGetsItsRowsOfEveryWholeBatchDrawWhicheverAsksFirst() {
        SeededNoise whole = new SeededNoise(3);
        INDArray first = whole.next(5, 2, 2);
        INDArray second = whole.next(5, 2, 2);

        ShardedNoise sharded = new ShardedNoise(new SeededNoise(3), 5, 2);
        NoiseSource a = sharded.rows(0, 2);
        NoiseSource b = sharded.rows(2, 5);
        // shard b runs ahead of shard a
        INDArray b1 = b.next(3, 2, 2);
        INDArray b2 = b.next(3, 2, 2);
        INDArray a1 = a.next(2, 2, 2);
        INDArray a2 = a.next(2, 2, 2);
        assertThat(a1).isEqualTo(first.get(NDArrayIndex.interval(0, 2)));
        assertThat(b1).isEqualTo(first.get(NDArrayIndex.interval(2, 5)));
        assertThat(a2).isEqualTo(second.get(NDArrayIndex.interval(0, 2)));
        assertThat(b2).isEqualTo(second.get(NDArrayIndex.interval(2, 5)));
        assertThat(a2).isNotEqualTo(a1);
    }

    @Test
    void aShardAskingForAnotherNumberOfRowsIsRefused() {
        NoiseSource a = new ShardedNoise(new SeededNoise(3), 5, 2).rows(0, 2);
        assertThatThrownBy(() -> a.next(3, 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rows 0..2").hasMessageContaining("[3, 2, 2]");
    }
}
