package dev.sit.plugins.nccl;

import java.util.function.Supplier;

/**
 * How the replicas of one NCCL group agree on its unique id: rank 0 makes it, every rank gets rank 0's bytes. Through
 * shared memory for replicas that are threads of one JVM ({@link SharedMemoryIdExchange}), through Spark's barrier
 * {@code allGather} for replicas that are barrier tasks ({@link BarrierIdExchange}).
 */
interface UniqueIdExchange {

    /** Rank 0's id, made by {@code newId} on rank 0 only; blocks until rank 0 has made it. */
    byte[] agree(int rank, int replicas, Supplier<byte[]> newId);
}
