package dev.sit.plugins.nccl;

import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The Spark barrier task this thread runs, if any. Spark is provided by the host (sit-spark's class path); this class
 * is loaded only after {@link #available()} found Spark, so that in-process training never needs it.
 */
final class SparkBarrier {

    private SparkBarrier() {
    }

    /** True when Spark is on the class path and this thread runs a barrier task. */
    static boolean available() {
        try {
            Class.forName("org.apache.spark.BarrierTaskContext", false, NcclCommunicator.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        return Current.context() != null;
    }

    static BarrierIdExchange.AllGather allGather() {
        BarrierTaskContext context = Current.context();
        return context::allGather;
    }

    static int tasks() {
        return Current.context().getTaskInfos().length;
    }

    static int partition() {
        return Current.context().partitionId();
    }

    /** The GPU Spark assigned to this task ({@code spark.task.resource.gpu.amount=1}), or -1 when it assigned none. */
    static int assignedGpu() {
        Map<String, ResourceInformation> resources = Current.context().resourcesJMap();
        ResourceInformation gpu = resources.get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? -1 : Integer.parseInt(gpu.addresses()[0].trim());
    }

    /** Kept apart so that {@link #available()} can look for Spark before any Spark class is linked. */
    private static final class Current {
        static BarrierTaskContext context() {
            try {
                return BarrierTaskContext.get();
            } catch (IllegalStateException | ClassCastException e) {
                return null; // a plain (not barrier) task, or no task
            }
        }
    }
}
