package dev.sit.plugins.nccl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** The unique id exchange of one group of replica threads in one JVM: rank 0 publishes the id, the others read it. */
final class SharedMemoryIdExchange implements UniqueIdExchange {

    private final CompletableFuture<byte[]> id = new CompletableFuture<>();

    @Override
    public byte[] agree(int rank, int replicas, Supplier<byte[]> newId) {
        if (rank == 0) {
            try {
                id.complete(newId.get().clone());
            } catch (RuntimeException e) {
                id.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return id.get().clone();
        } catch (ExecutionException e) {
            throw new IllegalStateException("replica 0 could not make the NCCL unique id: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for replica 0's NCCL unique id", e);
        }
    }
}
