package dev.sit.core.model;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A training listener that runs {@code System.gc()} after every step. Each {@code sd.fit(...)} call
 * builds a training session with its own array cache and never closes the old one; ND4J frees
 * off-heap buffers only when the JVM collects their arrays. Without a collection per step, memory
 * grows and steps slow down in bursts (SAMEDIFF-NOTES.md); a collection costs tens of milliseconds.
 */
public final class GarbageCollectionPerStep extends BaseListener {

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
        System.gc();
    }
}
