package dev.sit.core.config;

import dev.sit.api.Doc;
import dev.sit.api.Range;

/** The training stage (spec section 9 defaults). */
public record TrainSection(
        @Doc("passes over the data") @Range(min = 1) Integer epochs,
        @Doc("stop after this many steps whatever epochs says") @Range(min = 1) Long maxSteps,
        @Doc("batch size per step") @Range(min = 1) Integer globalBatchSize,
        @Doc("AdamW learning rate") @Range(min = 0, minExclusive = true) Double lr,
        @Doc("AdamW decoupled weight decay") @Range(min = 0) Double weightDecay,
        @Doc("AdamW beta1") @Range(min = 0, max = 1, maxExclusive = true) Double beta1,
        @Doc("AdamW beta2") @Range(min = 0, max = 1, maxExclusive = true) Double beta2,
        @Doc("EMA decay of the weights (the EMA starts as a copy)") @Range(min = 0, max = 1) Double emaDecay,
        @Doc("log loss, steps/s and images/s every N steps") @Range(min = 1) Integer logEvery,
        @Doc("write a checkpoint every N steps (and at the end)") @Range(min = 1) Integer ckptEvery,
        @Doc("sample an EMA grid every N steps with the sample: settings") @Range(min = 1) Integer sampleEvery,
        @Doc("how many checkpoints to keep") @Range(min = 1) Integer keepCheckpoints,
        @Doc("resume from this checkpoint folder (or 'latest' in the results folder)") String resume,
        @Doc("linear warm-up: step i < W uses lr (i + 1) / W") @Range(min = 0) Integer warmupSteps,
        @Doc("after warm-up: constant (reference), cosine or linear decay to min_lr at the last step") LrSchedule lrSchedule,
        @Doc("learning rate at the end of a cosine or linear schedule") @Range(min = 0) Double minLr,
        @Doc("data-parallel replicas (DDP): each global batch is split into N equal shards whose gradients are "
                + "averaged; every replica takes the same AdamW step") @Range(min = 1) Integer replicas,
        @Doc("clip the gradients to this global norm before each AdamW step (PyTorch's clip_grad_norm_); "
                + "leave out for none, as the reference") @Range(min = 0, minExclusive = true) Double gradClip,
        @Doc("how replicas average their gradients: in-process (threads of this JVM; the default), spark (Spark barrier "
                + "tasks; the default with sit run --spark), nccl (GPUs) or a plugin's; unused with one replica")
        PluginChoice communicator,
        @Doc("gradient accumulation: each replica's share of the batch is run through the network in N equal "
                + "micro-batches whose gradients are averaged before the AdamW step: the same update in less memory")
        @Range(min = 1) Integer microBatches) {

    /** Without warm-up, schedule, data parallelism, clipping or micro-batches (the reference's constant rate, one replica). */
    public TrainSection(Integer epochs, Long maxSteps, Integer globalBatchSize, Double lr, Double weightDecay,
                        Double beta1, Double beta2, Double emaDecay, Integer logEvery, Integer ckptEvery,
                        Integer sampleEvery, Integer keepCheckpoints, String resume) {
        this(epochs, maxSteps, globalBatchSize, lr, weightDecay, beta1, beta2, emaDecay, logEvery, ckptEvery,
                sampleEvery, keepCheckpoints, resume, null, null, null, null, null);
    }

    /** With every setting but the communicator (the default {@code in-process}) and micro-batches (one). */
    public TrainSection(Integer epochs, Long maxSteps, Integer globalBatchSize, Double lr, Double weightDecay,
                        Double beta1, Double beta2, Double emaDecay, Integer logEvery, Integer ckptEvery,
                        Integer sampleEvery, Integer keepCheckpoints, String resume, Integer warmupSteps,
                        LrSchedule lrSchedule, Double minLr, Integer replicas, Double gradClip) {
        this(epochs, maxSteps, globalBatchSize, lr, weightDecay, beta1, beta2, emaDecay, logEvery, ckptEvery,
                sampleEvery, keepCheckpoints, resume, warmupSteps, lrSchedule, minLr, replicas, gradClip, null, null);
    }

    public TrainSection {
        epochs = epochs == null ? 1400 : epochs;
        globalBatchSize = globalBatchSize == null ? 256 : globalBatchSize;
        lr = lr == null ? 1e-4 : lr;
        weightDecay = weightDecay == null ? 0.0 : weightDecay;
        beta1 = beta1 == null ? 0.9 : beta1;
        beta2 = beta2 == null ? 0.999 : beta2;
        emaDecay = emaDecay == null ? 0.9999 : emaDecay;
        logEvery = logEvery == null ? 100 : logEvery;
        ckptEvery = ckptEvery == null ? 50_000 : ckptEvery;
        sampleEvery = sampleEvery == null ? 10_000 : sampleEvery;
        keepCheckpoints = keepCheckpoints == null ? 3 : keepCheckpoints;
        warmupSteps = warmupSteps == null ? 0 : warmupSteps;
        lrSchedule = lrSchedule == null ? LrSchedule.CONSTANT : lrSchedule;
        minLr = minLr == null ? 0.0 : minLr;
        if (minLr > lr) {
            throw new IllegalArgumentException("train.min_lr (" + minLr + ") must not exceed train.lr (" + lr
                    + "): the schedule decays from lr down to min_lr");
        }
        replicas = replicas == null ? 1 : replicas;
        communicator = communicator == null ? PluginChoice.named(DEFAULT_COMMUNICATOR) : communicator;
        microBatches = microBatches == null ? 1 : microBatches;
        if (replicas > 0 && globalBatchSize % replicas != 0) {
            throw new IllegalArgumentException("global_batch_size " + globalBatchSize + " cannot be split into replicas "
                    + replicas + " equal shards: make global_batch_size a multiple of replicas");
        }
        if (replicas > 0 && microBatches > 0 && globalBatchSize % ((long) replicas * microBatches) != 0) {
            throw new IllegalArgumentException("global_batch_size " + globalBatchSize + " cannot be split into "
                    + (replicas == 1 ? "" : "replicas " + replicas + " x ") + "micro_batches " + microBatches
                    + " equal micro-batches: make global_batch_size a multiple of "
                    + (replicas == 1 ? "micro_batches" : "replicas x micro_batches (" + (long) replicas * microBatches + ")"));
        }
    }

    /** The communicator of a local run; {@code sit run --spark} makes {@code spark} the default instead. */
    public static final String DEFAULT_COMMUNICATOR = "in-process";

    /** The learning rate of every step of a run of {@code totalSteps} steps. */
    public dev.sit.core.train.LearningRateSchedule schedule(long totalSteps) {
        return new dev.sit.core.train.LearningRateSchedule(lr, minLr, warmupSteps, Math.max(1, totalSteps), lrSchedule);
    }
}
