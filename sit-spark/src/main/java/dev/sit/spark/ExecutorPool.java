package dev.sit.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Heavy objects (a VAE, a feature extractor) this JVM has made, per job request: a task borrows one, made only when
 * every one made is busy, and gives it back, so an executor loads weights once per core it runs tasks on, not once per
 * partition. Concurrent tasks never share one: a SameDiff graph is not made for concurrent execution.
 */
final class ExecutorPool<K, V> {

    /** Makes a value for a request. */
    @FunctionalInterface
    interface Maker<K, V> {
        V make(K request) throws Exception;
    }

    private final Map<K, Queue<V>> idle = new ConcurrentHashMap<>();
    private final Maker<K, V> maker;

    ExecutorPool(Maker<K, V> maker) {
        this.maker = maker;
    }

    V borrow(K request) throws Exception {
        V v = idle.computeIfAbsent(request, r -> new ConcurrentLinkedQueue<>()).poll();
        return v != null ? v : maker.make(request);
    }

    void giveBack(K request, V value) {
        idle.computeIfAbsent(request, r -> new ConcurrentLinkedQueue<>()).add(value);
    }

    /** Forgets the request's idle values and returns them, for the caller to close (the driver, when a job is over). */
    List<V> release(K request) {
        Queue<V> q = idle.remove(request);
        return q == null ? List.of() : new ArrayList<>(q);
    }
}
