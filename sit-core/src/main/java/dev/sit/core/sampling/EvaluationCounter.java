package dev.sit.core.sampling;

import dev.sit.api.sampling.OdeSystem;
import dev.sit.api.sampling.VectorField;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts function evaluations (NFE): wrap the fields a sampler calls and read the count after.
 * One counter may wrap several fields (e.g. a velocity and its vector-Jacobian product) to count
 * model calls across them.
 */
public final class EvaluationCounter {

    private final AtomicLong evaluations = new AtomicLong();

    /** The field, counting each call. */
    public VectorField counting(VectorField field) {
        return (x, t) -> {
            evaluations.incrementAndGet();
            return field.drift(x, t);
        };
    }

    /** The system, counting each call. */
    public OdeSystem counting(OdeSystem system) {
        return (t, y) -> {
            evaluations.incrementAndGet();
            return system.derivative(t, y);
        };
    }

    /** The vector-Jacobian product, counting each call. */
    public VectorJacobianProduct counting(VectorJacobianProduct vjp) {
        return (x, t, v) -> {
            evaluations.incrementAndGet();
            return vjp.vjp(x, t, v);
        };
    }

    /** Counts one evaluation made elsewhere. */
    public void add(long count) {
        evaluations.addAndGet(count);
    }

    public long evaluations() {
        return evaluations.get();
    }
}
