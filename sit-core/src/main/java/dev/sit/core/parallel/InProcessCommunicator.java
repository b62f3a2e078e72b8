package dev.sit.core.parallel;

import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.api.parallel.ReplicaLink;
import java.util.concurrent.Phaser;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code in-process} communicator: replicas are threads of one JVM and share memory. Each
 * replica puts its arrays in its slot; replica 0 sums the slots in rank order (so every replica gets
 * the same bits) and divides by {@code N}; every replica copies the mean back. Three barriers per
 * step keep the slots from being reused too early. A replica that leaves terminates the phaser
 * for good (whether the others are already waiting or arrive later), so they fail instead of
 * waiting forever.
 */
public final class InProcessCommunicator implements GradientCommunicator {

    private Group group;

    @Override
    public synchronized ReplicaLink join(int rank, int replicas) {
        if (replicas < 1 || rank < 0 || rank >= replicas) {
            throw new IllegalArgumentException("replica rank " + rank + " of " + replicas + " replicas does not exist");
        }
        if (group == null) {
            group = new Group(replicas);
        } else if (group.slots.length != replicas) {
            throw new IllegalArgumentException("this communicator's group has " + group.slots.length
                    + " replicas; replica " + rank + " asked for " + replicas);
        }
        return group.link(rank);
    }

    /** The shared state of one group. */
    private static final class Group {
        final INDArray[][] slots;
        final Phaser barrier;
        INDArray[] mean;
        volatile String broken;

        Group(int replicas) {
            this.slots = new INDArray[replicas][];
            this.barrier = new Phaser(replicas);
        }

        ReplicaLink link(int rank) {
            return new ReplicaLink() {
                private boolean closed;

                @Override
                public int rank() {
                    return rank;
                }

                @Override
                public int replicas() {
                    return slots.length;
                }

                @Override
                public void allReduceMean(INDArray[] arrays) {
                    if (slots.length == 1) {
                        return;
                    }
                    slots[rank] = arrays;
                    await(rank);
                    if (rank == 0) {
                        INDArray[] sum = new INDArray[arrays.length];
                        for (int i = 0; i < arrays.length; i++) {
                            sum[i] = slots[0][i].dup();
                            for (int r = 1; r < slots.length; r++) {
                                sum[i].addi(slots[r][i]);
                            }
                            sum[i].divi(slots.length);
                        }
                        mean = sum;
                    }
                    await(rank);
                    for (int i = 0; i < arrays.length; i++) {
                        arrays[i].assign(mean[i]);
                    }
                    await(rank);
                    slots[rank] = null;
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        if (broken == null) {
                            broken = "replica " + rank + " left the group";
                        }
                        barrier.forceTermination();
                    }
                }
            };
        }

        void await(int rank) {
            int phase = barrier.arrive();
            int next = barrier.awaitAdvance(phase);
            // negative: terminated; the low bits still say the phase it reached. A replica that closed
            // after every replica arrived (the normal end of the last step) is no failure of this one
            if (phase < 0 || (next < 0 && (next & Integer.MAX_VALUE) <= phase)) {
                throw new IllegalStateException("replica " + rank + " stopped: " + (broken != null ? broken
                        : "another replica failed") + "; the step was not taken on any replica");
            }
        }
    }
}
