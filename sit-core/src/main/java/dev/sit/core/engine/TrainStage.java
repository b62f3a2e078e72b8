package dev.sit.core.engine;

import com.google.inject.Inject;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.parallel.GradientCommunicator;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.TrainSection;
import dev.sit.core.io.TensorSource;
import dev.sit.core.io.WeightsFile;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.model.ExpectedStateDict;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import dev.sit.core.train.CheckpointStore;
import dev.sit.core.parallel.InProcessCommunicator;
import dev.sit.core.train.DataParallelStep;
import dev.sit.core.train.EmaWeights;
import dev.sit.core.train.GradientClipping;
import dev.sit.core.train.GradientStep;
import dev.sit.core.train.LearningRateSchedule;
import dev.sit.core.train.LatentEncoder;
import dev.sit.core.train.PeriodicSampler;
import dev.sit.core.train.RunFolder;
import dev.sit.core.train.Trainer;
import dev.sit.core.train.TrainingStep;
import dev.sit.core.transport.Transport;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.LatentSampling;
import dev.sit.core.vae.PretrainedVae;
import dev.sit.core.vae.VaeConfig;
import dev.sit.core.vae.VaeWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The {@code train:} stage: builds the model, data and loop from the experiment and runs it. */
final class TrainStage {

    private final ResolvedExperiment resolved;
    private final SitConfig config;
    private final Transport transport;
    private final List<MetricsLogger> loggers;
    private final RunListener listener;

    @Inject
    TrainStage(ResolvedExperiment resolved, SitConfig config, Transport transport, List<MetricsLogger> loggers,
               RunListener listener) {
        this.resolved = resolved;
        this.config = config;
        this.transport = transport;
        this.loggers = loggers;
        this.listener = listener;
    }

    /** What training produced: the EMA weights of its end (reference layout) and the step it reached. */
    record Trained(Map<String, INDArray> ema, Trainer.Result result) {
    }

    /**
     * The VAE that {@code data.vae} names, loaded, or null for {@code none} (pixel-space or pre-extracted latents).
     * Called before the run starts, so that missing weights stop it with instructions before anything is written.
     *
     * @throws dev.sit.core.vae.VaeNotFoundException saying which files to put where
     */
    static AutoencoderKl trainingVae(Experiment e, RunListener listener) throws IOException {
        if (e.train() == null || e.data().vae().equalsIgnoreCase("none")) {
            return null;
        }
        VaeWeights weights = VaeWeights.forSpec(e.data().vae(), null, PretrainedVae.defaultEnvironment());
        weights.notes().forEach(listener::info);
        return new AutoencoderKl(weights);
    }

    /**
     * Trains; returns the EMA weights of the end of training (reference layout) for the sample stage.
     *
     * @param resume  where to continue from (resolved before the run started), or empty
     * @param vae     the VAE that encodes the dataset's images on the fly ({@link #trainingVae}), or null to train
     *                on the data as it is
     * @param sampler the periodic EMA grids, or null for none
     */
    Trained run(RunFolder folder, Optional<ResumePoint> resume, AutoencoderKl vae, PeriodicSampler sampler)
            throws Exception {
        return run(folder, resume, vae, sampler, null);
    }

    /**
     * One replica of a training spread over processes ({@link ClusterTraining}): this process trains
     * rank {@code slot.rank()}'s shard of every global batch, joined to the others by {@code slot}'s
     * communicator. The rank-0 process logs, samples and checkpoints; the others only train.
     */
    record ReplicaSlot(int rank, GradientCommunicator communicator) {
    }

    /** As {@link #run(RunFolder, Optional, AutoencoderKl, PeriodicSampler)}, as one replica of a cluster when {@code slot} is set. */
    Trained run(RunFolder folder, Optional<ResumePoint> resume, AutoencoderKl vae, PeriodicSampler sampler,
                ReplicaSlot slot) throws Exception {
        Experiment e = resolved.experiment();
        TrainSection train = e.train();
        boolean pixels = vae == null;
        // latents sampled from the posterior and scaled, with noise seeded by the step's encoding seed
        LatentEncoder encoder = pixels ? null : (images, seed) -> vae.encode(images, LatentSampling.SAMPLE, seed);
        int imageSize = pixels ? config.inputSize() : config.inputSize() * vae.config().downsampleFactor();
        DatasetSource source = resolved.plugin("data.source", ExtensionPoint.DATASET_SOURCE)
                .create(resolved.pluginContext().inRunFolder(folder.path()));
        try (Dataset dataset = source.open(new DatasetContext(Path.of("").toAbsolutePath(), imageSize, e.seed(),
                e.data().numWorkers()))) {
            if (pixels) {
                checkShapes(dataset, true);
            } else {
                checkVaeShapes(dataset, vae.config(), imageSize);
                checkShapes(dataset, false);
            }
            SitModel model = initialModel();
            LearningRateSchedule schedule = train.schedule(Trainer.totalSteps(train, dataset.size()));
            // clipping and micro-batches need the gradients before the optimizer: the gradient path, also for one replica
            DataParallelStep replicas = slot != null ? replicaOf(slot, model, train, schedule)
                    : train.replicas() > 1 || train.gradClip() != null || train.microBatches() > 1
                    ? replicas(model, train, schedule) : null;
            TrainingStep step = replicas != null ? null
                    : new TrainingStep(model, transport, schedule, train.beta1(), train.beta2(), train.weightDecay());
            EmaWeights ema = new EmaWeights(model, train.emaDecay());
            Optional<CheckpointStore.Checkpoint> from = Optional.empty();
            if (resume.isPresent()) {
                from = Optional.of(resume.get().load());
                listener.info("resuming from " + resume.get().checkpoint() + " (step " + resume.get().step()
                        + "; training continues at step " + (resume.get().step() + 1) + ")");
            }
            Trainer.Parts parts = new Trainer.Parts(step, transport, ema, dataset, encoder, new LabelDropout(config),
                    loggers, sampler, new CheckpointStore(folder.checkpoints(), train.keepCheckpoints()),
                    ExperimentTree.toYaml(resolved));
            Trainer trainer = new Trainer(parts, train, e.seed(), listener).withDataParallel(replicas);
            if (train.replicas() > 1 && slot == null) {
                listener.info("data parallel: " + train.replicas() + " replicas (" + communicatorName()
                        + " communicator), shards of "
                        + train.globalBatchSize() / train.replicas() + " images");
            }
            if (train.gradClip() != null) {
                listener.info("gradients clipped to global norm " + train.gradClip() + " before each AdamW step");
            }
            if (train.microBatches() > 1) {
                listener.info("gradient accumulation: each step runs " + train.microBatches() + " micro-batches of "
                        + train.globalBatchSize() / train.replicas() / train.microBatches() + " images");
            }
            listener.info(String.format(java.util.Locale.ROOT, "training %s (%,d parameters) on %s: %,d steps of batch %d",
                    e.model().size() == null ? "a custom SiT" : e.model().size(), config.parameterCount(),
                    resolved.experiment().data().source().name(), trainer.totalSteps(), train.globalBatchSize()));
            try {
                Trainer.Result result = trainer.run(from);
                return new Trained(ema.stateDict(), result);
            } finally {
                if (replicas != null) {
                    replicas.close();
                }
            }
        }
    }

    /**
     * {@code train.replicas} models with {@code first}'s weights (replica 0 is {@code first}, whose
     * weights the EMA follows and the checkpoints hold), joined by {@code train.communicator}; one
     * replica (the gradient path of clipping) has nothing to exchange, so no communicator is made for it.
     */
    private DataParallelStep replicas(SitModel first, TrainSection train, LearningRateSchedule schedule) {
        List<GradientStep> steps = new java.util.ArrayList<>();
        for (int r = 0; r < train.replicas(); r++) {
            SitModel model = r == 0 ? first : SitModel.withWeights(config, first.stateDict(), "replica " + r);
            steps.add(new GradientStep(model, transport, schedule, train.beta1(), train.beta2(), train.weightDecay())
                    .withClipping(train.gradClip() == null ? null : new GradientClipping(train.gradClip()))
                    .withMicroBatches(train.microBatches()));
        }
        GradientCommunicator communicator = train.replicas() == 1 ? new InProcessCommunicator()
                : resolved.create(COMMUNICATOR_KEY, ExtensionPoint.COMMUNICATOR);
        return new DataParallelStep(steps, communicator);
    }

    /** The experiment key of the communicator choice. */
    static final String COMMUNICATOR_KEY = "train.communicator";

    private String communicatorName() {
        return resolved.plugin(COMMUNICATOR_KEY, ExtensionPoint.COMMUNICATOR).name();
    }

    /** This process's one replica of a cluster's {@code train.replicas}. */
    private DataParallelStep replicaOf(ReplicaSlot slot, SitModel model, TrainSection train, LearningRateSchedule schedule) {
        GradientStep step = new GradientStep(model, transport, schedule, train.beta1(), train.beta2(), train.weightDecay())
                .withClipping(train.gradClip() == null ? null : new GradientClipping(train.gradClip()))
                .withMicroBatches(train.microBatches());
        return new DataParallelStep(List.of(step), slot.communicator(), slot.rank(), train.replicas());
    }

    /**
     * The training stage on a cluster (the caller's process is the driver): starts one process per
     * replica, replays the events that replica 0's process writes to the run folder's
     * {@link TrainingEventLog} to this run's listener and loggers, and returns the EMA of the last
     * checkpoint (training always ends with one). A failed job keeps the checkpoints written so far and
     * says how to resume from the last one.
     */
    Trained runOnCluster(RunFolder folder, Optional<ResumePoint> resume, ClusterTraining.Placement placement)
            throws Exception {
        TrainSection train = resolved.experiment().train();
        com.fasterxml.jackson.databind.node.ObjectNode tree = ExperimentTree.of(resolved);
        com.fasterxml.jackson.databind.node.ObjectNode trainNode = (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("train");
        if (resume.isPresent()) {
            trainNode.put("resume", resume.get().checkpoint().toAbsolutePath().toString());
        } else {
            trainNode.remove("resume");
        }
        if (tree.get("plugins") instanceof com.fasterxml.jackson.databind.node.ArrayNode listed) {
            // the experiment's plugin paths are relative to its file, which the executors do not load
            Path base = resolved.file().toAbsolutePath().getParent();
            for (int i = 0; i < listed.size(); i++) {
                listed.set(i, base.resolve(listed.get(i).asText()).toString());
            }
        }
        String yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().writeValueAsString(tree);
        Path runFolder = folder.path().toAbsolutePath();
        ClusterTraining.Request request = new ClusterTraining.Request(placement.master(), yaml, runFolder.toString(),
                train.replicas(), placement.plugins());
        TrainingEventLog.Follower events = new TrainingEventLog.Follower(runFolder.resolve(TrainingEventLog.FILE));
        listener.info(String.format(java.util.Locale.ROOT, "training on %s (%s): %d replicas as one barrier stage (%s "
                + "communicator), shards of %d images; replica 0 writes %s", placement.cluster().name(), placement.master(),
                train.replicas(), communicatorName(), train.globalBatchSize() / train.replicas(), runFolder));
        long began = System.nanoTime();
        ClusterTraining.Job job = placement.cluster().start(request);
        try {
            while (!job.isDone()) {
                Thread.sleep(250);
                events.replay(listener, loggers);
            }
            job.await();
        } catch (Exception failure) {
            events.replay(listener, loggers);
            Optional<Path> last = new CheckpointStore(folder.checkpoints(), Integer.MAX_VALUE).latest();
            String command = "sit run " + resolved.file() + " --spark '" + placement.master() + "' --resume ";
            throw new IllegalStateException("training on " + placement.cluster().name() + " stopped (a failed replica stops them all): "
                    + rootMessage(failure)
                    + (last.isPresent()
                    ? ". The last checkpoint, " + last.get() + " (step " + CheckpointStore.readState(last.get()).step()
                    + "), is kept; continue from it with: " + command + last.get()
                    : ". No checkpoint was written yet; run the same command again to start over"), failure);
        }
        events.replay(listener, loggers);
        Path last = new CheckpointStore(folder.checkpoints(), Integer.MAX_VALUE).latest().orElseThrow(() ->
                new IllegalStateException("training on " + placement.cluster().name() + " ended without a checkpoint in "
                        + folder.checkpoints()));
        CheckpointStore.Checkpoint end = CheckpointStore.read(last);
        return new Trained(end.ema(), new Trainer.Result(end.state().step(), end.state().lastLoss(), Optional.of(last),
                (System.nanoTime() - began) / 1e9));
    }

    /**
     * The innermost reason: its first line, and the task's own error when the cluster quotes it on the
     * next line (Spark does: "Job aborted due to stage failure: ...\n<exception>: <message>"), without
     * the class name.
     */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String[] lines = message.split("\n");
        StringBuilder reason = new StringBuilder(lines[0].strip());
        // the task's error, quoted by the cluster after its own line, up to its stack trace
        for (int i = 1; i < lines.length && !lines[i].strip().startsWith("at ") && !lines[i].isBlank(); i++) {
            reason.append(' ').append(i == 1 ? lines[i].strip().replaceFirst("^[\\w.$]+(Exception|Error): ", "")
                    : lines[i].strip());
        }
        String text = reason.toString();
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** The reference initialisation, or the weights of model.ckpt (a .pt from the reference, or .safetensors). */
    private SitModel initialModel() throws IOException {
        String ckpt = resolved.experiment().model().ckpt();
        if (ckpt == null) {
            return SitModel.initialised(config, resolved.experiment().seed());
        }
        // one tensor at a time from the file into the graph: no second full copy of the weights
        try (TensorSource tensors = WeightsFile.openForTraining(Path.of(ckpt), new ExpectedStateDict(config))) {
            return SitModel.withWeights(config, tensors, ckpt, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** With data.vae: RGB images of input_size x downsampling in, latents of model.in_channels out. */
    private void checkVaeShapes(Dataset dataset, VaeConfig vae, int imageSize) {
        long[] shape = dataset.exampleShape();
        String data = "data.vae is " + resolved.experiment().data().vae();
        if (shape[0] != vae.inChannels()) {
            throw new IllegalArgumentException(data + " but the dataset's examples have " + shape[0] + " channels; the"
                    + " VAE encodes " + vae.inChannels() + "-channel (RGB) images"
                    + (resolved.experiment().data().source().name().equalsIgnoreCase("latents")
                    ? ". The latents dataset holds latents already: set data.vae: none"
                    : ": use an RGB dataset, or data.vae: none to train in pixel space"));
        }
        if (config.inChannels() != vae.embedDim()) {
            throw new IllegalArgumentException(data + ", whose latents have " + vae.embedDim() + " channels, but"
                    + " model.in_channels is " + config.inChannels() + "; set model.in_channels: " + vae.embedDim());
        }
        if (shape[1] != imageSize || shape[2] != imageSize) {
            throw new IllegalArgumentException("the dataset's images are " + shape[1] + "x" + shape[2] + " but with " + data
                    + " (downsampling " + vae.downsampleFactor() + ") model.input_size " + config.inputSize() + " needs "
                    + imageSize + "x" + imageSize + " images; make them agree");
        }
    }

    private void checkShapes(Dataset dataset, boolean pixels) {
        long[] shape = dataset.exampleShape();
        if (pixels && shape[0] != config.inChannels()) {
            throw new IllegalArgumentException("the dataset's images have " + shape[0] + " channels but model.in_channels is "
                    + config.inChannels() + "; set model.in_channels: " + shape[0] + " (pixel-space training) or data.vae: ema");
        }
        if (pixels && shape[1] != config.inputSize()) {
            throw new IllegalArgumentException("the dataset's images are " + shape[1] + "x" + shape[2]
                    + " but model.input_size is " + config.inputSize() + "; make them agree");
        }
        if (dataset.numClasses() > config.numClasses()) {
            throw new IllegalArgumentException("the dataset has " + dataset.numClasses() + " classes but model.num_classes is "
                    + config.numClasses() + "; set model.num_classes: " + dataset.numClasses());
        }
    }
}
