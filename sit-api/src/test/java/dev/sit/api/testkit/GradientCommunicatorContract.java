package dev.sit.api.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.api.parallel.ReplicaLink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every {@link GradientCommunicator} must do, with its replicas as threads of this JVM: the
 * mean over replicas ({@code (1/N) sum_r a^(r)}, checked against values computed here), the same
 * bits on every replica, several steps in a row, one replica leaving its arrays as they are, and a
 * replica that leaves the group stopping the others with an error instead of a hang.
 */
public abstract class GradientCommunicatorContract {

    /** A fresh communicator (one training run). */
    protected abstract GradientCommunicator communicator();

    /** Replica r's array i at step s: distinct values whose mean is known exactly. */
    private static INDArray contribution(int r, int i, int s) {
        return Nd4j.linspace(DataType.FLOAT, 1, 6 * (i + 1), 1).reshape(2, 3 * (i + 1)).muli(r + 1).addi(0.25 * s);
    }

    @Test
    void everyReplicaGetsTheMeanWithTheSameBitsStepAfterStep() throws Exception {
        int n = 3;
        GradientCommunicator communicator = communicator();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<List<INDArray[]>>> results = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                results.add(pool.submit(() -> {
                    List<INDArray[]> steps = new ArrayList<>();
                    try (ReplicaLink link = communicator.join(rank, n)) {
                        assertThat(link.rank()).isEqualTo(rank);
                        assertThat(link.replicas()).isEqualTo(n);
                        for (int s = 0; s < 3; s++) {
                            INDArray[] arrays = {contribution(rank, 0, s), contribution(rank, 1, s)};
                            link.allReduceMean(arrays);
                            steps.add(arrays);
                        }
                    }
                    return steps;
                }));
            }
            List<List<INDArray[]>> all = new ArrayList<>();
            for (Future<List<INDArray[]>> f : results) {
                all.add(f.get(60, TimeUnit.SECONDS));
            }
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < 2; i++) {
                    // mean of (r + 1) * v + 0.25 s over r = 0..2 is 2 v + 0.25 s
                    INDArray expected = contribution(1, i, s);
                    for (int r = 0; r < n; r++) {
                        INDArray got = all.get(r).get(s)[i];
                        assertThat(got.equalsWithEps(expected, 1e-5)).as("replica %d step %d array %d", r, s, i).isTrue();
                        assertThat(got).as("replica %d has replica 0's bits", r).isEqualTo(all.get(0).get(s)[i]);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneReplicaKeepsItsArrays() {
        try (ReplicaLink link = communicator().join(0, 1)) {
            INDArray[] arrays = {contribution(0, 0, 1)};
            link.allReduceMean(arrays);
            assertThat(arrays[0]).isEqualTo(contribution(0, 0, 1));
        }
    }

    @Test
    void aReplicaThatLeavesStopsTheOthersWithAnError() throws Exception {
        GradientCommunicator communicator = communicator();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Throwable> waiting = pool.submit(() -> {
                try (ReplicaLink link = communicator.join(0, 2)) {
                    link.allReduceMean(new INDArray[] {contribution(0, 0, 0)});
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            pool.submit(() -> {
                ReplicaLink link = communicator.join(1, 2);
                link.close();
                return null;
            }).get(60, TimeUnit.SECONDS);
            Throwable error = waiting.get(60, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(IllegalStateException.class);
            assertThat(error.getMessage()).isNotBlank();
        } finally {
            pool.shutdownNow();
        }
    }
}
