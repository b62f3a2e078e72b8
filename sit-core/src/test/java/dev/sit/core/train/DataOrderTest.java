package dev.sit.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataOrderTest {

    @Test
    void eachEpochVisitsEveryExampleOnceAndDropsTheIncompleteBatch() {
        DataOrder order = new DataOrder(10, 7, 0, 0);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            for (long index : order.next(3)) {
                assertThat(seen.add(index)).as("index %d twice in one epoch", index).isTrue();
            }
        }
        assertThat(order.epoch()).isZero();
        order.next(3); // only 1 left: a new epoch starts
        assertThat(order.epoch()).isEqualTo(1);
        assertThat(order.offset()).isEqualTo(3);
    }

    @Test
    void peekShowsTheNextBatchAcrossEpochsAndAPositionResumesTheSameOrder() {
        DataOrder order = new DataOrder(10, 7, 0, 0);
        for (int i = 0; i < 4; i++) {
            long[] peeked = order.peek(3);
            assertThat(order.next(3)).containsExactly(peeked);
        }
        DataOrder resumed = new DataOrder(10, 7, order.epoch(), order.offset());
        assertThat(resumed.next(3)).containsExactly(order.next(3));
        // another seed, another order
        assertThat(Arrays.equals(new DataOrder(10, 8, 0, 0).next(10), new DataOrder(10, 7, 0, 0).next(10))).isFalse();
    }
}
