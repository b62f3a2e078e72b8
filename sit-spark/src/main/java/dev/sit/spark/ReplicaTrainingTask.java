package dev.sit.spark;

import dev.sit.core.engine.ClusterTraining;
import dev.sit.core.engine.ReplicaTraining;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One barrier task of {@link SparkTraining}: replica {@code rank} (its partition) trains to the end, with the
 * communicator its experiment chooses ({@code spark} unless {@code train.communicator} says otherwise).
 */
final class ReplicaTrainingTask extends AbstractFunction1<Iterator<Integer>, Iterator<Integer>> implements Serializable {

    private final ClusterTraining.Request request;

    ReplicaTrainingTask(ClusterTraining.Request request) {
        this.request = request;
    }

    @Override
    public Iterator<Integer> apply(Iterator<Integer> partition) {
        int rank = BarrierTaskContext.get().partitionId();
        try {
            ReplicaTraining.run(request, rank);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("replica " + rank + ": " + e.getMessage(), e);
        }
        return CollectionConverters.asScala(List.of(rank).iterator());
    }
}
