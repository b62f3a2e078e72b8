package dev.sit.core.model;

import dev.sit.core.transport.TrainingLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Times the SiT graph: a forward pass and a training step (forward, backward and the reference's
 * AdamW update through {@code TrainingConfig} + {@code fit}, on the linear-path velocity loss), after
 * warm-up, sampling resident memory after every step to show whether it grows.
 */
public final class ModelBenchmark {

    /**
     * @param config       the model
     * @param batch        images per step
     * @param warmup       untimed steps before each measurement
     * @param trainSteps   timed training steps
     * @param forwardSteps timed forward passes
     * @param gcEachStep   run {@link GarbageCollectionPerStep} during training
     * @param seed         initialisation and data seed
     */
    public record Settings(SitConfig config, int batch, int warmup, int trainSteps, int forwardSteps,
                           boolean gcEachStep, long seed) {
        public Settings {
            if (batch < 1 || warmup < 0 || trainSteps < 0 || forwardSteps < 0) {
                throw new IllegalArgumentException("batch must be >= 1 and step counts >= 0");
            }
        }
    }

    /** Step times in milliseconds and throughput. */
    public record Timing(int steps, double meanMs, double bestMs, double worstMs, double imagesPerSecond,
                         double[] stepMs) {
        static Timing of(double[] ms, int batch) {
            if (ms.length == 0) {
                return new Timing(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, ms);
            }
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            return new Timing(ms.length, mean, Arrays.stream(ms).min().orElse(Double.NaN),
                    Arrays.stream(ms).max().orElse(Double.NaN), batch * 1000.0 / mean, ms);
        }
    }

    /** Resident memory after a step ({@code phase} is "forward" or "train"; step counts warm-up too). */
    public record MemorySample(String phase, int step, long residentBytes) {
    }

    /** What a run measured. */
    public record Result(Settings settings, long parameters, Timing forward, Timing train, long peakResidentBytes,
                         List<MemorySample> memory) {
    }

    private ModelBenchmark() {
    }

    public static Result run(Settings s, Consumer<String> progress) {
        ComputeSettings.apply();
        SitConfig c = s.config();
        SitModel model = SitModel.initialised(c, s.seed());
        TrainingLoss[] loss = new TrainingLoss[1];
        model.addLoss(TrainingLoss.LOSS, (sd, out) -> {
            loss[0] = TrainingLoss.define(sd, out, model.outputShape());
            return loss[0].loss();
        });
        model.sameDiff().setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(1e-4, 0.9, 0.999, 1e-8)) // reference AdamW with weight decay 0
                .dataSetFeatureMapping(SitModel.INPUT_X, SitModel.INPUT_T, SitModel.INPUT_Y, TrainingLoss.TARGET,
                        TrainingLoss.OUT_SCALE, TrainingLoss.WEIGHT)
                .markLabelsUnused()
                .build());
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(s.seed() + 1);
        List<MemorySample> memory = new ArrayList<>();

        double[] fwd = new double[s.forwardSteps()];
        for (int i = 0; i < s.warmup() + s.forwardSteps(); i++) {
            INDArray[] f = batch(c, s.batch(), rng);
            long t0 = System.nanoTime();
            model.forward(f[0], f[1], f[2]);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (i >= s.warmup()) {
                fwd[i - s.warmup()] = ms;
            }
            memory.add(new MemorySample("forward", i, ProcessMemory.residentBytes()));
            progress.accept(String.format("forward %d%s: %.0f ms", i, i < s.warmup() ? " (warm-up)" : "", ms));
        }

        GarbageCollectionPerStep gc = new GarbageCollectionPerStep();
        double[] train = new double[s.trainSteps()];
        for (int i = 0; i < s.warmup() + s.trainSteps(); i++) {
            INDArray[] f = batch(c, s.batch(), rng);
            MultiDataSet data = new MultiDataSet(f, new INDArray[0]);
            long t0 = System.nanoTime();
            if (s.gcEachStep()) {
                model.sameDiff().fit(data, gc);
            } else {
                model.sameDiff().fit(data);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (i >= s.warmup()) {
                train[i - s.warmup()] = ms;
            }
            memory.add(new MemorySample("train", i, ProcessMemory.residentBytes()));
            progress.accept(String.format("train %d%s: %.0f ms, RSS %.2f GB", i, i < s.warmup() ? " (warm-up)" : "", ms,
                    ProcessMemory.residentBytes() / 1e9));
        }
        return new Result(s, c.parameterCount(), Timing.of(fwd, s.batch()), Timing.of(train, s.batch()),
                ProcessMemory.peakResidentBytes(), memory);
    }

    /**
     * One random training batch on the linear path: x1, x0 ~ N(0, I), t ~ U(0, 1), labels uniform,
     * xt = t x1 + (1 - t) x0, target = x1 - x0 (velocity); features x, t, y, target, out_scale, weight.
     */
    private static INDArray[] batch(SitConfig c, int n, Random rng) {
        long[] shape = {n, c.inChannels(), c.inputSize(), c.inputSize()};
        INDArray x1 = Nd4j.randn(rng, shape);
        INDArray x0 = Nd4j.randn(rng, shape);
        INDArray t = Nd4j.rand(rng, n);
        INDArray tc = t.reshape(n, 1, 1, 1);
        INDArray xt = x1.mul(tc.broadcast(shape)).addi(x0.mul(tc.rsub(1.0).broadcast(shape)));
        INDArray y = Nd4j.rand(rng, n).muli(c.numClasses()).castTo(DataType.INT32);
        INDArray ones = Nd4j.ones(DataType.FLOAT, n, 1, 1, 1);
        return new INDArray[] {xt, t, y, x1.sub(x0), ones, Nd4j.ones(DataType.FLOAT, n)};
    }
}
