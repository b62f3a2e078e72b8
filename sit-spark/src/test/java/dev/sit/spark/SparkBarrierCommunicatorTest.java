package dev.sit.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sit.api.parallel.ReplicaLink;
import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import dev.sit.core.parallel.InProcessCommunicator;
import dev.sit.core.train.DataParallelStep;
import dev.sit.core.train.GradientStep;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Two replicas as Spark barrier tasks ({@code local[2]}) exchanging gradients through
 * {@link SparkBarrierCommunicator}: the same losses as two in-process replicas, and both tasks end
 * with the same weights; gradients of mixed data types (float64 next to float32) are averaged too.
 */
class SparkBarrierCommunicatorTest {

    private static final SitConfig TINY = new SitConfig(32, 1, 2, 2, 8, 3, 4, false, 2.0, 0.1);
    private static final int STEPS = 3;

    @TempDir
    Path dir;

    @Test
    void barrierTasksTrainLikeInProcessReplicas() throws Exception {
        Path weights = dir.resolve("start.safetensors");
        SafetensorsFile.write(weights, SitModel.initialised(TINY, 3).stateDict(), Map.of());
        Nd4j.getRandom().setSeed(11);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 8, 3, 8, 8).muli(2).subi(1);
        INDArray labels = Nd4j.createFromArray(0, 1, 2, 3, 3, 2, 1, 0);
        ArrayList<INDArray[]> batches = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            TrainingSample t = linearVelocity().sampleTraining(x1, 300L + s);
            batches.add(new INDArray[] {t.x1(), t.x0(), t.t(), t.xt(), t.target(), t.outScale(), t.weight()});
        }

        // in process
        List<Double> expected = new ArrayList<>();
        List<GradientStep> steps = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            steps.add(step(weights));
        }
        try (DataParallelStep inProcess = new DataParallelStep(steps, new InProcessCommunicator())) {
            for (INDArray[] b : batches) {
                expected.add(inProcess.step(sample(b), labels));
            }
        }

        // on Spark
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("sit test").set("spark.ui.enabled", "false");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        List<double[]> results;
        try {
            ClassTag<double[]> tag = ClassTag$.MODULE$.apply(double[].class);
            results = sc.parallelize(List.of(0, 1), 2).rdd().barrier()
                    .mapPartitions(new Replica(weights.toString(), batches, labels), false, tag).toJavaRDD().collect();
        } finally {
            sc.stop();
        }
        assertThat(results).hasSize(2);
        for (int s = 0; s < STEPS; s++) {
            double mean = (results.get(0)[s] + results.get(1)[s]) / 2;
            assertThat(mean).as("loss of step %d", s).isCloseTo(expected.get(s), within(1e-6 * Math.abs(expected.get(s))));
        }
        // the last entries are a weight of each task after training: identical bits
        assertThat(results.get(0)[STEPS]).isEqualTo(results.get(1)[STEPS]);
        assertThat(results.get(0)[STEPS]).isEqualTo(steps.get(0).model().stateDict().get("final_layer.linear.weight")
                .sumNumber().doubleValue());
    }

    @Test
    void aFloat64GradientNextToFloat32OnesIsAveragedInItsOwnType() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("sit test").set("spark.ui.enabled", "false");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        List<double[]> results;
        try {
            results = sc.parallelize(List.of(0, 1), 2).rdd().barrier()
                    .mapPartitions(new MixedTypes(), false, ClassTag$.MODULE$.apply(double[].class)).toJavaRDD().collect();
        } finally {
            sc.stop();
        }
        // rank r holds (r + 1) * base: the mean is 1.5 * base, exact in float32 for these small integers and halves
        double[] expected = {1.5, 3, 4.5, 6, 7.5, 9, 15, 16.5, 18, 1.5 * 0.25, 1.5 * 0.5};
        assertThat(results).hasSize(2);
        for (double[] r : results) {
            assertThat(r).containsExactly(append(expected, 1 /* float64 kept */));
        }
    }

    private static double[] append(double[] values, double last) {
        double[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = last;
        return all;
    }

    /** One barrier task: a float32 matrix, a float64 vector and a float32 vector, scaled by rank + 1, averaged. */
    static final class MixedTypes extends AbstractFunction1<Iterator<Integer>, Iterator<double[]>> implements Serializable {
        @Override
        public Iterator<double[]> apply(Iterator<Integer> partition) {
            int rank = partition.next();
            INDArray[] gradients = {
                Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}).muli(rank + 1),
                Nd4j.createFromArray(10.0, 11.0, 12.0).muli(rank + 1),
                Nd4j.createFromArray(0.25f, 0.5f).muli(rank + 1)};
            try (ReplicaLink link = new SparkBarrierCommunicator().join(rank, 2)) {
                link.allReduceMean(gradients);
            }
            double[] out = new double[12];
            int i = 0;
            for (INDArray g : gradients) {
                for (double v : g.castTo(DataType.DOUBLE).data().asDouble()) {
                    out[i++] = v;
                }
            }
            out[i] = gradients[1].dataType() == DataType.DOUBLE ? 1 : 0;
            return CollectionConverters.asScala(List.of(out).iterator());
        }
    }

    /** One barrier task: replica (partition) r trains on rows [4r, 4r + 4) of every batch. */
    static final class Replica extends AbstractFunction1<Iterator<Integer>, Iterator<double[]>> implements Serializable {
        private final String weights;
        private final ArrayList<INDArray[]> batches;
        private final INDArray labels;

        Replica(String weights, ArrayList<INDArray[]> batches, INDArray labels) {
            this.weights = weights;
            this.batches = batches;
            this.labels = labels;
        }

        @Override
        public Iterator<double[]> apply(Iterator<Integer> partition) {
            int rank = partition.next();
            try {
                GradientStep step = step(Path.of(weights));
                double[] out = new double[STEPS + 1];
                try (ReplicaLink link = new SparkBarrierCommunicator().join(rank, 2)) {
                    for (int s = 0; s < STEPS; s++) {
                        TrainingSample shard = DataParallelStep.rows(sample(batches.get(s)), 4L * rank, 4L * rank + 4);
                        GradientStep.ShardGradients g = step.gradients(shard,
                                labels.get(NDArrayIndex.interval(4L * rank, 4L * rank + 4)));
                        link.allReduceMean(g.gradients());
                        step.apply(g.gradients());
                        out[s] = g.loss();
                    }
                }
                out[STEPS] = step.model().stateDict().get("final_layer.linear.weight").sumNumber().doubleValue();
                return CollectionConverters.asScala(List.of(out).iterator());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static GradientStep step(Path weights) throws java.io.IOException {
        return new GradientStep(SitModel.withWeights(TINY, SafetensorsFile.read(weights), "start"), linearVelocity(),
                1e-3, 0.9, 0.999, 0.01);
    }

    private static TrainingSample sample(INDArray[] b) {
        return new TrainingSample(b[0], b[1], b[2], b[3], b[4], b[5], b[6]);
    }

    static Transport linearVelocity() {
        return dev.sit.core.train.TinySetup.linearVelocity();
    }
}
