package dev.sit.core.train;

import dev.sit.core.random.SeededNativeRandom;
import dev.sit.api.data.Batch;
import dev.sit.api.data.Dataset;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.core.config.TrainSection;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.engine.RunListener;
import dev.sit.core.engine.Stage;
import dev.sit.core.transport.TrainingSample;
import dev.sit.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.api.rng.Random;

/**
 * The training loop of the reference's {@code train.py}: batches in a seeded order (optionally
 * encoded to latents), the transport's draws, label dropout, one AdamW step, the EMA update;
 * logs every {@code log_every} steps, EMA sample grids every {@code sample_every}, checkpoints
 * every {@code ckpt_every} and at the end. Every random draw of a step is seeded by (seed, step),
 * so a resumed run continues the same loss curve. The whole loop is one SameDiff {@code fit} over
 * an iterator of batches (one training session, flat memory), with the per-step work in a listener.
 */
public final class Trainer {

    /** What the loop is made of; the composition root builds it. */
    public record Parts(TrainingStep step, Transport transport, EmaWeights ema, Dataset dataset,
                        LatentEncoder encoder, LabelDropout labelDropout, List<MetricsLogger> loggers,
                        PeriodicSampler sampler, CheckpointStore checkpoints, String experimentYaml) {
    }

    /** How a run ended. */
    public record Result(long steps, double lastLoss, Optional<Path> lastCheckpoint, double seconds) {
    }

    private final Parts parts;
    private final TrainSection settings;
    private final long seed;
    private final RunListener listener;
    private DataParallelStep dataParallel;

    /** @param listener receives the stage's progress, logged scalars and checkpoints */
    public Trainer(Parts parts, TrainSection settings, long seed, RunListener listener) {
        this.parts = parts;
        this.settings = settings;
        this.seed = seed;
        this.listener = listener;
    }

    /**
     * Trains through data-parallel replicas instead of {@code parts.step()} (which may then be null):
     * {@code parts.ema()} must follow replica 0's model; checkpoints are written once, from replica 0.
     */
    public Trainer withDataParallel(DataParallelStep replicas) {
        this.dataParallel = replicas;
        return this;
    }

    /** Number of steps this run trains to: max_steps, or epochs over the data. */
    public long totalSteps() {
        return totalSteps(settings, parts.dataset().size());
    }

    /** Number of steps a run of these settings trains to on {@code datasetSize} examples. */
    public static long totalSteps(TrainSection settings, long datasetSize) {
        long perEpoch = datasetSize / settings.globalBatchSize();
        long byEpochs = perEpoch * settings.epochs();
        return settings.maxSteps() == null ? byEpochs : settings.maxSteps();
    }

    /**
     * Trains from the given checkpoint (or from scratch) to {@link #totalSteps()}.
     *
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     */
    public Result run(Optional<CheckpointStore.Checkpoint> resumeFrom) throws IOException {
        TrainingState state = new TrainingState(0, 0, 0, seed, Double.NaN);
        if (resumeFrom.isPresent()) {
            CheckpointStore.Checkpoint c = resumeFrom.get();
            if (dataParallel != null) {
                for (GradientStep replica : dataParallel.replicas()) {
                    replica.model().loadStateDict(c.model(), c.path().toString());
                    replica.restoreOptimizerState(c.optimizer(), c.state().step());
                }
            } else {
                parts.step().model().loadStateDict(c.model(), c.path().toString());
                parts.step().restoreOptimizerState(c.optimizer(), c.state().step());
            }
            parts.ema().load(c.ema());
            state = c.state();
        }
        long total = totalSteps();
        if (state.step() >= total) {
            listener.info("training: already at step " + state.step() + " of " + total + "; nothing to do");
            return new Result(state.step(), state.lastLoss(), Optional.empty(), 0);
        }
        long runStart = System.nanoTime();
        listener.stageStarted(Stage.TRAIN, "train", total, state.step());
        Loop loop = new Loop(state, total);
        try {
            if (dataParallel != null) {
                while (loop.hasNext()) {
                    loop.next();
                    loop.stepDone(dataParallel.step(loop.sample, loop.labels));
                }
            } else {
                parts.step().train(loop, loop);
            }
            if (loop.failure != null) {
                throw loop.failure;
            }
        } catch (IOException | RuntimeException e) {
            listener.stageFinished(Stage.TRAIN, "training stopped at step " + loop.step);
            throw e;
        }
        Result result = new Result(loop.step, loop.lastLoss, loop.lastCheckpoint, (System.nanoTime() - runStart) / 1e9);
        listener.stageFinished(Stage.TRAIN, String.format(Locale.ROOT, "training done: %d steps in %.1f s, last loss %.4f%s",
                result.steps(), result.seconds(), result.lastLoss(),
                result.lastCheckpoint().map(p -> ", checkpoint " + p).orElse("")));
        return result;
    }

    /**
     * One pass of training as SameDiff sees it: the batches (an iterator, so that one {@code fit}
     * runs the whole loop) and what happens after each step (a listener): EMA, logs, samples,
     * checkpoints. Every draw of step s is seeded by (seed, s).
     */
    private final class Loop extends BaseListener implements MultiDataSetIterator {
        private final long seedOfRun;
        private final long total;
        private final DataOrder order;
        private final int batchSize = settings.globalBatchSize();
        private long step;
        private double lastLoss;
        private Optional<Path> lastCheckpoint = Optional.empty();
        private double intervalLoss;
        private int intervalSteps;
        private long intervalStart = System.nanoTime();
        private long stepStart;
        private IOException failure;
        private TrainingSample sample;
        private INDArray labels;

        Loop(TrainingState state, long total) {
            this.seedOfRun = state.seed();
            this.total = total;
            this.step = state.step();
            this.lastLoss = state.lastLoss();
            this.order = new DataOrder(parts.dataset().size(), state.seed(), state.epoch(), state.dataOffset());
        }

        // ---- the batches

        @Override
        public boolean hasNext() {
            return step < total && failure == null;
        }

        @Override
        public MultiDataSet next() {
            stepStart = System.nanoTime();
            long[] indices = order.next(batchSize);
            Batch batch = parts.dataset().load(indices, StepSeeds.of(seedOfRun, step, StepSeeds.AUGMENTATION));
            if (step + 1 < total) {
                // datasets that decode files start on the next batch while this step trains
                parts.dataset().prefetch(order.peek(batchSize), StepSeeds.of(seedOfRun, step + 1, StepSeeds.AUGMENTATION));
            }
            INDArray x1 = parts.encoder() == null ? batch.x()
                    : parts.encoder().encode(batch.x(), StepSeeds.of(seedOfRun, step, StepSeeds.ENCODING));
            TrainingSample sample = parts.transport().sampleTraining(x1, StepSeeds.of(seedOfRun, step, StepSeeds.TRANSPORT));
            INDArray labels;
            try (Random rng = SeededNativeRandom.of(StepSeeds.of(seedOfRun, step, StepSeeds.LABEL_DROPOUT))) {
                labels = parts.labelDropout().apply(batch.y(), rng);
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            this.sample = sample;
            this.labels = labels;
            if (dataParallel != null) {
                return null;
            }
            parts.step().announce(sample);
            return TrainingStep.features(sample, labels);
        }

        @Override
        public MultiDataSet next(int num) {
            return next();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("training batches take no preprocessor");
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
            // batches are made in order on this thread: each one's loss needs its own transport sample
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("training batches run once, in order");
        }

        // ---- after each step

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss ignored) {
            stepDone(parts.step().lastLoss());
        }

        /** After each step, whichever path trained it: EMA, logs, samples, checkpoints. */
        void stepDone(double loss) {
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(String.format(Locale.ROOT,
                        "training stopped at step %d: the loss is %s. The last good checkpoint is %s. "
                                + "Lower train.lr (now %g), check the data for NaN or huge values, "
                                + "or resume from the checkpoint with --resume.",
                        step + 1, loss, lastCheckpoint.map(Path::toString).orElse("the one written before this run, if any"),
                        settings.lr()));
            }
            if (dataParallel == null || dataParallel.holdsReplicaZero()) {
                parts.ema().update(); // the EMA is replica 0's to keep
            }
            step++;
            lastLoss = loss;
            intervalLoss += loss;
            intervalSteps++;
            listener.progress(Stage.TRAIN, step, String.format(Locale.ROOT, "loss %.4f", loss));
            try {
                afterStep(loss);
            } catch (IOException e) {
                failure = e;
            }
            // SameDiff frees a step's off-heap arrays only when the JVM collects them (SAMEDIFF-NOTES.md);
            // a collection costs tens of milliseconds, so small fast steps collect less often
            if (System.nanoTime() - stepStart > 300_000_000L || step % 10 == 0) {
                System.gc();
            }
        }

        private void afterStep(double loss) throws IOException {
            if (dataParallel != null && !dataParallel.holdsReplicaZero()) {
                // replicas elsewhere are identical to replica 0, whose process logs, samples and checkpoints
                return;
            }
            boolean last = step == total;
            if (step % settings.logEvery() == 0 || last) {
                double seconds = (System.nanoTime() - intervalStart) / 1e9;
                Map<String, Double> scalars = new LinkedHashMap<>();
                scalars.put("loss", intervalLoss / intervalSteps);
                scalars.put("steps_per_sec", intervalSteps / seconds);
                scalars.put("images_per_sec", intervalSteps * (double) batchSize / seconds);
                scalars.put("epoch", (double) order.epoch());
                // the rate of the step just taken (step index step - 1)
                LearningRateSchedule schedule = dataParallel != null ? dataParallel.replicas().get(0).schedule()
                        : parts.step().schedule();
                scalars.put("lr", schedule.at(step - 1));
                if (dataParallel != null) {
                    // the gradient path knows the norm of the step's (averaged) gradients, before clipping
                    scalars.put("grad_norm", dataParallel.replicas().get(0).lastGradientNorm());
                }
                for (MetricsLogger logger : parts.loggers()) {
                    logger.logScalars(step, scalars);
                }
                listener.stepLogged(step, Map.copyOf(scalars));
                intervalLoss = 0;
                intervalSteps = 0;
                intervalStart = System.nanoTime();
            }
            if (parts.sampler() != null && step % settings.sampleEvery() == 0) {
                parts.sampler().sample(step, parts.ema().stateDict());
            }
            if (step % settings.ckptEvery() == 0 || last) {
                TrainingState now = new TrainingState(step, order.epoch(), order.offset(), seedOfRun, loss);
                // data parallel: the replicas are identical, replica 0 is written (once)
                GradientStep first = dataParallel == null ? null : dataParallel.replicas().get(0);
                lastCheckpoint = Optional.of(parts.checkpoints().write(now,
                        first != null ? first.model().stateDict() : parts.step().model().stateDict(), parts.ema().stateDict(),
                        first != null ? first.optimizerState() : parts.step().optimizerState(), parts.experimentYaml()));
                listener.checkpointWritten(step, lastCheckpoint.get());
            }
        }
    }
}
