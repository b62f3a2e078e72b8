package dev.sit.plugins.nccl;

import java.util.function.Supplier;

/**
 * The unique id exchange of replicas that are the tasks of one barrier stage: one {@code allGather} in which rank 0
 * sends the id and the others an empty message; every task decodes rank 0's message. No RPC of our own: the barrier
 * context carries the 128 bytes (as base64 text).
 */
final class BarrierIdExchange implements UniqueIdExchange {

    /** A barrier's all-gather: every task's message, indexed by task (partition) id, returned to every task. */
    @FunctionalInterface
    interface AllGather {
        String[] allGather(String message);
    }

    private final AllGather barrier;

    BarrierIdExchange(AllGather barrier) {
        this.barrier = barrier;
    }

    @Override
    public byte[] agree(int rank, int replicas, Supplier<byte[]> newId) {
        String[] all = barrier.allGather(rank == 0 ? UniqueIdMessage.encode(newId.get()) : "");
        if (all.length != replicas) {
            throw new IllegalStateException("the barrier stage has " + all.length + " tasks but the group has " + replicas
                    + " replicas: run one task per replica");
        }
        return UniqueIdMessage.decode(all[0]);
    }
}
