package dev.sit.spark;

import dev.sit.api.parallel.FlatGradients;
import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.api.parallel.ReplicaLink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.apache.spark.BarrierTaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@code spark} communicator: replicas are the tasks of one Spark barrier stage (rank = the
 * task's partition), and gradients travel through Spark's own barrier {@code allGather}. The
 * arrays, whatever their data types, are flattened into one float32 vector ({@link FlatGradients}) and exchanged in chunks of at most
 * {@link #CHUNK_FLOATS} floats (allGather messages go through the driver's RPC endpoint, bounded by
 * {@code spark.rpc.message.maxSize}); every task receives every rank's chunk, sums them in rank
 * order (so all tasks hold the same bits) and divides by {@code N}. Fit for CPU clusters and tests;
 * for large models on GPUs the NCCL path is the one meant (see the README). A task that fails
 * makes Spark fail the whole barrier stage, which is how a dead replica stops the others.
 */
public final class SparkBarrierCommunicator implements GradientCommunicator {

    /** 1 Mi floats (4 MiB, 5.3 MiB as text) per message: N of them stay far below Spark's 128 MiB default. */
    static final int CHUNK_FLOATS = 1 << 20;

    @Override
    public ReplicaLink join(int rank, int replicas) {
        BarrierTaskContext context = BarrierTaskContext.get();
        if (context == null) {
            throw new IllegalStateException("the spark communicator runs inside Spark barrier tasks only; "
                    + "in one JVM use the in-process communicator");
        }
        int tasks = context.getTaskInfos().length;
        if (tasks != replicas || context.partitionId() != rank) {
            throw new IllegalStateException("replica " + rank + " of " + replicas + " runs as barrier task "
                    + context.partitionId() + " of " + tasks + ": the stage needs one task per replica");
        }
        return new ReplicaLink() {
            @Override
            public int rank() {
                return rank;
            }

            @Override
            public int replicas() {
                return replicas;
            }

            @Override
            public void allReduceMean(INDArray[] arrays) {
                if (replicas == 1) {
                    return;
                }
                INDArray flat = FlatGradients.flatten(arrays);
                long length = flat.length();
                for (long from = 0; from < length; from += CHUNK_FLOATS) {
                    long to = Math.min(length, from + CHUNK_FLOATS);
                    INDArray chunk = flat.get(NDArrayIndex.interval(from, to));
                    String[] all = context.allGather(encode(chunk));
                    INDArray sum = decode(all[0]);
                    for (int r = 1; r < all.length; r++) {
                        sum.addi(decode(all[r]));
                    }
                    chunk.assign(sum.divi(replicas));
                }
                FlatGradients.scatter(flat, arrays);
            }

            @Override
            public void close() {
                // Spark ends the barrier stage; a failed task fails it for every replica
            }
        };
    }

    private static String encode(INDArray chunk) {
        float[] values = chunk.dup('c').data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static INDArray decode(String message) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(message)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return Nd4j.createFromArray(values);
    }
}
