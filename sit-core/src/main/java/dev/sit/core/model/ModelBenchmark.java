package dev.sit.core.model;

import dev.sit.core.random.SeededNativeRandom;
import dev.sit.core.transport.TrainingLoss;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * Times the SiT graph: a forward pass and a training step (forward, backward and the reference's
 * AdamW update through {@code TrainingConfig} + {@code fit}, on the linear-path velocity loss), after
 * warm-up, sampling resident memory after every step to show whether it grows.
 *
 * <p>Training runs as a training loop should: ONE {@code fit} call over an iterator that produces the
 * batches, with {@link GarbageCollectionPerStep}. Measured on SiT-S/2, batch 8: one {@code fit} per
 * batch peaks at 7.5 GB (two sessions' array caches alive at once), one {@code fit} over an iterator
 * stays flat at 5.5 GB, and without the collection per step it grows to 7 GB. With no training
 * steps ({@code trainSteps == 0}) the training graph is never built: a forward-only run measures
 * what sampling needs.
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
     * @param microBatches training steps run the batch as this many equal micro-batches and average their
     *                     gradients ({@code train.micro_batches}); 1: one pass through {@code fit}
     * @param profileOps   time the timed steps' ops by type ({@link OpProfile}; listeners cost a little time)
     */
    public record Settings(SitConfig config, int batch, int warmup, int trainSteps, int forwardSteps,
                           boolean gcEachStep, long seed, int microBatches, boolean profileOps) {
        public Settings {
            if (batch < 1 || warmup < 0 || trainSteps < 0 || forwardSteps < 0) {
                throw new IllegalArgumentException("batch must be >= 1 and step counts >= 0");
            }
            if (microBatches < 1 || batch % microBatches != 0) {
                throw new IllegalArgumentException("--micro-batches " + microBatches + " must be at least 1 and divide "
                        + "--batch " + batch + " into equal micro-batches");
            }
        }

        /** Without micro-batches or the op profile. */
        public Settings(SitConfig config, int batch, int warmup, int trainSteps, int forwardSteps, boolean gcEachStep,
                        long seed) {
            this(config, batch, warmup, trainSteps, forwardSteps, gcEachStep, seed, 1, false);
        }
    }

    /**
     * Step times in milliseconds and throughput; {@code meanCpuMs} is the process CPU time per step (all
     * threads), which shows the work done independently of other load on the machine.
     */
    public record Timing(int steps, double meanMs, double bestMs, double worstMs, double imagesPerSecond,
                         double meanCpuMs, double[] stepMs) {
        static Timing of(double[] ms, double[] cpuMs, int batch) {
            if (ms.length == 0) {
                return new Timing(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, ms);
            }
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            return new Timing(ms.length, mean, Arrays.stream(ms).min().orElse(Double.NaN),
                    Arrays.stream(ms).max().orElse(Double.NaN), batch * 1000.0 / mean,
                    Arrays.stream(cpuMs).average().orElse(Double.NaN), ms);
        }
    }

    /** Resident memory after a step ({@code phase} is "forward" or "train"; step counts warm-up too). */
    public record MemorySample(String phase, int step, long residentBytes) {
    }

    /** Where resident memory went at a point of the run ({@code when}: "model ready", "after forward", ...). */
    public record MemoryAt(String when, MemoryBreakdown memory) {
    }

    /**
     * What a run measured; {@code forwardOps} and {@code trainOps} are the timed steps' op times, the
     * most time first (empty without {@link Settings#profileOps()}).
     */
    public record Result(Settings settings, long parameters, Timing forward, Timing train, long peakResidentBytes,
                         List<MemorySample> memory, List<MemoryAt> breakdown, List<OpProfile.OpTime> forwardOps,
                         List<OpProfile.OpTime> trainOps) {
    }

    private ModelBenchmark() {
    }

    public static Result run(Settings s, Consumer<String> progress) {
        ComputeSettings.apply();
        SitConfig c = s.config();
        SitModel model = SitModel.initialised(c, s.seed());
        List<MemoryAt> breakdown = new ArrayList<>();
        breakdown.add(new MemoryAt("model ready", MemoryBreakdown.now()));
        progress.accept(String.format("model ready: RSS %.2f GB (weights %.2f GB)", ProcessMemory.residentBytes() / 1e9,
                c.parameterCount() * 4 / 1e9));
        Random rng = SeededNativeRandom.of(s.seed() + 1);
        List<MemorySample> memory = new ArrayList<>();

        double[] fwd = new double[s.forwardSteps()];
        double[] fwdCpu = new double[s.forwardSteps()];
        OpProfile forwardOps = new OpProfile();
        if (s.profileOps()) {
            model.sameDiff().setListeners(forwardOps);
        }
        for (int i = 0; i < s.warmup() + s.forwardSteps(); i++) {
            INDArray[] f = batch(c, s.batch(), rng);
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            if (i >= s.warmup()) {
                forwardOps.stepStarted();
            }
            model.forward(f[0], f[1], f[2]);
            forwardOps.stepDone();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (i >= s.warmup()) {
                fwd[i - s.warmup()] = ms;
                fwdCpu[i - s.warmup()] = (cpuNanos() - c0) / 1e6;
            }
            memory.add(new MemorySample("forward", i, ProcessMemory.residentBytes()));
            progress.accept(String.format("forward %d%s: %.0f ms, RSS %.2f GB", i, i < s.warmup() ? " (warm-up)" : "", ms,
                    ProcessMemory.residentBytes() / 1e9));
        }

        model.sameDiff().setListeners();
        breakdown.add(new MemoryAt("after forward", MemoryBreakdown.now()));
        if (s.trainSteps() == 0) {
            // forward only: no loss, no gradient function, no optimizer state (for XL/2 these are
            // several times the weights: gradients, Adam's two moments, the backward's activations)
            return new Result(s, c.parameterCount(), Timing.of(fwd, fwdCpu, s.batch()),
                    Timing.of(new double[0], new double[0], s.batch()), ProcessMemory.peakResidentBytes(), memory,
                    breakdown, forwardOps.perStep(), List.of());
        }
        // the forward passes' cached arrays are not part of what training needs (a training run never
        // evaluates its graph first): free them, as a training run starts without them
        model.releaseEvaluationCaches();
        TrainingLoss[] loss = new TrainingLoss[1];
        model.addLoss(TrainingLoss.LOSS, (sd, out) -> {
            loss[0] = TrainingLoss.define(sd, out, model.outputShape());
            return loss[0].loss();
        });
        // the reference's AdamW with weight decay 0: in fit, or applied after fit collected micro-batch gradients
        model.sameDiff().setTrainingConfig(trainingConfig(s.microBatches() > 1 ? new GradientCapture()
                : new Adam(1e-4, 0.9, 0.999, 1e-8)));

        // one fit call over an iterator: SameDiff builds one training session (and its array cache) per
        // fit call, so calling fit once per batch keeps two sessions alive until the JVM collects one
        int total = s.warmup() + s.trainSteps();
        double[] train = new double[s.trainSteps()];
        double[] trainCpu = new double[s.trainSteps()];
        OpProfile trainOps = new OpProfile();
        StepTimer timer = new StepTimer(s, train, trainCpu, memory, progress, trainOps);
        if (s.profileOps()) {
            // on the graph, so that fit and the micro-batches' fit calls both report to it
            model.sameDiff().setListeners(trainOps);
        }
        MultiDataSetIterator batches = new MultiDataSetIterator() {
            private int produced;

            @Override
            public org.nd4j.linalg.dataset.api.MultiDataSet next(int num) {
                return next();
            }

            @Override
            public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
                throw new UnsupportedOperationException();
            }

            @Override
            public MultiDataSetPreProcessor getPreProcessor() {
                return null;
            }

            @Override
            public boolean resetSupported() {
                return false;
            }

            @Override
            public boolean asyncSupported() {
                return false;
            }

            @Override
            public void reset() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean hasNext() {
                return produced < total;
            }

            @Override
            public org.nd4j.linalg.dataset.api.MultiDataSet next() {
                produced++;
                return new MultiDataSet(batch(c, s.batch(), rng), new INDArray[0]);
            }
        };
        if (s.microBatches() > 1) {
            trainInMicroBatches(model, s, batches, timer);
        } else if (s.gcEachStep()) {
            model.sameDiff().fit(batches, 1, timer, new GarbageCollectionPerStep());
        } else {
            model.sameDiff().fit(batches, 1, timer);
        }
        model.sameDiff().setListeners();
        breakdown.add(new MemoryAt("after training", MemoryBreakdown.now()));
        return new Result(s, c.parameterCount(), Timing.of(fwd, fwdCpu, s.batch()),
                Timing.of(train, trainCpu, s.batch()),
                ProcessMemory.peakResidentBytes(), memory, breakdown, forwardOps.perStep(), trainOps.perStep());
    }

    /**
     * Training steps as {@code train.micro_batches} runs them ({@code GradientStep}): per batch, one
     * {@code fit} per micro-batch (the training configuration has a {@link GradientCapture}: gradients
     * summed, weights unchanged), then one {@link AdamW} step on their mean with the {@code fit} path's
     * Adam settings, timed by the same listener calls.
     */
    private static void trainInMicroBatches(SitModel model, Settings s, MultiDataSetIterator batches, StepTimer timer) {
        SameDiff sd = model.sameDiff();
        List<String> parameters = model.trainableVariableNames();
        AdamW adamW = new AdamW(sd, parameters, new FixedSchedule(1e-4), 0.9, 0.999, 0.0);
        int k = s.microBatches();
        long m = s.batch() / k;
        for (int step = 0; batches.hasNext(); step++) {
            INDArray[] features = batches.next().getFeatures();
            timer.iterationStart(sd, null, null, 0);
            for (int j = 0; j < k; j++) {
                INDArray[] part = new INDArray[features.length];
                for (int i = 0; i < features.length; i++) {
                    part[i] = features[i].get(NDArrayIndex.interval(j * m, (j + 1) * m)).dup();
                }
                sd.fit(new MultiDataSet(part, new INDArray[0]));
            }
            adamW.apply(GradientCapture.takeMean(sd, parameters), step);
            timer.iterationDone(sd, null, null, null);
            if (s.gcEachStep()) {
                System.gc(); // after the timer, as GarbageCollectionPerStep runs after it in fit
            }
        }
    }

    private static TrainingConfig trainingConfig(IUpdater updater) {
        return TrainingConfig.builder()
                .updater(updater)
                .dataSetFeatureMapping(SitModel.INPUT_X, SitModel.INPUT_T, SitModel.INPUT_Y, TrainingLoss.TARGET,
                        TrainingLoss.OUT_SCALE, TrainingLoss.WEIGHT)
                .markLabelsUnused()
                .build();
    }

    /**
     * Times each training iteration (listener callbacks around the step), samples memory after it and
     * tells the op profile which steps are timed.
     */
    private static final class StepTimer extends BaseListener {
        private final Settings s;
        private final double[] ms;
        private final double[] cpuMs;
        private final List<MemorySample> memory;
        private final Consumer<String> progress;
        private final OpProfile ops;
        private int step;
        private long t0;
        private long c0;

        StepTimer(Settings s, double[] ms, double[] cpuMs, List<MemorySample> memory, Consumer<String> progress,
                  OpProfile ops) {
            this.s = s;
            this.ms = ms;
            this.cpuMs = cpuMs;
            this.memory = memory;
            this.progress = progress;
            this.ops = ops;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationStart(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet data, long etlMs) {
            if (step >= s.warmup()) {
                ops.stepStarted();
            }
            c0 = cpuNanos();
            t0 = System.nanoTime();
        }

        @Override
        public void iterationDone(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet data, Loss loss) {
            double wall = (System.nanoTime() - t0) / 1e6;
            ops.stepDone();
            if (step >= s.warmup()) {
                ms[step - s.warmup()] = wall;
                cpuMs[step - s.warmup()] = (cpuNanos() - c0) / 1e6;
            }
            memory.add(new MemorySample("train", step, ProcessMemory.residentBytes()));
            progress.accept(String.format("train %d%s: %.0f ms, RSS %.2f GB", step, step < s.warmup() ? " (warm-up)" : "",
                    wall, ProcessMemory.residentBytes() / 1e9));
            step++;
        }
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
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
