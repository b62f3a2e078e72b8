package dev.sit.plugins.nccl;

import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.api.parallel.ReplicaLink;
import java.util.List;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.cuda.nccl.ncclUniqueId;

/**
 * The {@code nccl} communicator: GPU replicas average their gradients with NCCL's ring all-reduce of device buffers
 * (JavaCPP's CUDA presets). Replicas are either threads of one JVM, one per GPU (replica {@code r} on device
 * {@code r}; the NCCL unique id passes through shared memory), or Spark barrier tasks, one per GPU (the GPU Spark
 * assigned to the task, else device 0; the id passes through the barrier's {@code allGather}). One communicator serves
 * one training run.
 */
public final class NcclCommunicator implements GradientCommunicator {

    private final SharedMemoryIdExchange threads = new SharedMemoryIdExchange();

    @Override
    public ReplicaLink join(int rank, int replicas) {
        boolean spark = SparkBarrier.available();
        if (spark && (SparkBarrier.tasks() != replicas || SparkBarrier.partition() != rank)) {
            throw new IllegalStateException("replica " + rank + " of " + replicas + " runs as barrier task "
                    + SparkBarrier.partition() + " of " + SparkBarrier.tasks() + ": the stage needs one task per replica");
        }
        List<String> problems = NcclPreconditions.ofThisProcess(spark ? 1 : replicas);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        int device = spark ? Math.max(0, SparkBarrier.assignedGpu()) : rank;
        UniqueIdExchange exchange = spark ? new BarrierIdExchange(SparkBarrier.allGather()) : threads;
        byte[] id = exchange.agree(rank, replicas, NcclCommunicator::newUniqueId);
        return new NcclLink(rank, replicas, device, id);
    }

    private static byte[] newUniqueId() {
        ncclUniqueId id = new ncclUniqueId();
        int result = nccl.ncclGetUniqueId(id);
        if (result != 0) {
            throw new IllegalStateException("ncclGetUniqueId failed: " + nccl.ncclGetErrorString(result).getString());
        }
        byte[] bytes = new byte[UniqueIdMessage.BYTES];
        id.internal().get(bytes);
        return bytes;
    }
}
