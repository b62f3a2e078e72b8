package dev.sit.spark;

import dev.sit.core.engine.ClusterTraining;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The training stage as one Spark barrier stage ({@code sit run FILE --spark MASTER}): one task per
 * replica of {@code train.replicas}, all scheduled together, each running {@link ReplicaTrainingTask}
 * with the experiment's communicator (the {@link SparkBarrierCommunicator} by default). A barrier stage fails as a whole when one task fails or
 * its executor dies, which is what a data-parallel step needs: no replica goes on alone. Spark does
 * not retry a failed barrier result stage (whatever {@code spark.task.maxFailures} says), so the run
 * fails and the driver reports it with the resume command.
 */
public final class SparkTraining implements ClusterTraining {

    private final JavaSparkContext given;

    /** Makes a context for each job from the request's master, and stops it when the job ends (the command's case). */
    public SparkTraining() {
        this(null);
    }

    /** Runs the jobs in a context the caller owns (an embedding program, a test); it is left running. */
    public SparkTraining(JavaSparkContext context) {
        this.given = context;
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Job start(Request request) {
        boolean owned = given == null;
        JavaSparkContext sc = owned ? JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(new SparkConf()
                .setMaster(request.master()).setAppName("sit run (training)").set("spark.ui.enabled", "false"))) : given;
        // in local mode the slots are known at once; a cluster's executors may still be registering, and
        // Spark's own barrier check waits for them (spark.scheduler.barrier.maxConcurrentTasksCheck.*)
        int slots = sc.defaultParallelism();
        if (sc.isLocal() && slots < request.replicas()) {
            if (owned) {
                sc.stop();
            }
            throw new IllegalArgumentException("train.replicas is " + request.replicas() + " but Spark (" + request.master()
                    + ") offers " + slots + " task slots; a barrier stage needs one slot per replica: give the master "
                    + "more cores (local[" + request.replicas() + "]) or lower train.replicas");
        }
        List<Integer> ranks = IntStream.range(0, request.replicas()).boxed().toList();
        ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
        JavaFutureAction<List<Integer>> job = sc.parallelize(ranks, ranks.size()).rdd().barrier()
                .mapPartitions(new ReplicaTrainingTask(request), false, tag).toJavaRDD().collectAsync();
        return new Job() {
            @Override
            public boolean isDone() {
                return job.isDone();
            }

            @Override
            public void await() throws Exception {
                try {
                    job.get();
                } finally {
                    if (owned) {
                        sc.stop();
                    }
                }
            }
        };
    }
}
