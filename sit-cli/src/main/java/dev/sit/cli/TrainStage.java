package dev.sit.cli;

import com.google.inject.Inject;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.ExperimentTree;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.config.TrainSection;
import dev.sit.core.io.TorchCheckpointReader;
import dev.sit.core.model.LabelDropout;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import dev.sit.core.train.CheckpointStore;
import dev.sit.core.train.EmaWeights;
import dev.sit.core.train.LatentEncoder;
import dev.sit.core.train.PeriodicSampler;
import dev.sit.core.train.ReferenceCheckpointImport;
import dev.sit.core.train.RunFolder;
import dev.sit.core.train.Trainer;
import dev.sit.core.train.TrainingStep;
import dev.sit.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
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

    @Inject
    TrainStage(ResolvedExperiment resolved, SitConfig config, Transport transport, List<MetricsLogger> loggers) {
        this.resolved = resolved;
        this.config = config;
        this.transport = transport;
        this.loggers = loggers;
    }

    /** Trains; returns the EMA weights of the end of training (reference layout) for the sample stage. */
    Map<String, INDArray> run(RunFolder folder, Optional<Path> resume, LatentEncoder encoder, PeriodicSampler sampler)
            throws Exception {
        Experiment e = resolved.experiment();
        TrainSection train = e.train();
        boolean pixels = encoder == null;
        int imageSize = pixels ? config.inputSize() : config.inputSize() * 8;
        DatasetSource source = resolved.plugin("data.source", ExtensionPoint.DATASET_SOURCE).create();
        try (Dataset dataset = source.open(new DatasetContext(Path.of("").toAbsolutePath(), imageSize, e.seed(),
                e.data().numWorkers()))) {
            checkShapes(dataset, pixels);
            SitModel model = initialModel();
            TrainingStep step = new TrainingStep(model, transport, train.lr(), train.beta1(), train.beta2(), train.weightDecay());
            EmaWeights ema = new EmaWeights(model, train.emaDecay());
            Optional<CheckpointStore.Checkpoint> from = Optional.empty();
            if (resume.isPresent()) {
                from = Optional.of(resume.get().toString().endsWith(".pt")
                        ? ReferenceCheckpointImport.read(resume.get(), e.seed())
                        : CheckpointStore.read(resume.get()));
                System.err.println("resuming from " + resume.get() + " (step " + from.get().state().step() + ")");
            }
            Trainer.Parts parts = new Trainer.Parts(step, transport, ema, dataset, encoder, new LabelDropout(config),
                    loggers, sampler, new CheckpointStore(folder.checkpoints(), train.keepCheckpoints()),
                    ExperimentTree.toYaml(resolved));
            Trainer trainer = new Trainer(parts, train, e.seed(), System.err);
            System.err.printf("training %s (%,d parameters) on %s: %,d steps of batch %d%n", e.model().size() == null
                    ? "a custom SiT" : e.model().size(), config.parameterCount(), resolved.experiment().data().source().name(),
                    trainer.totalSteps(), train.globalBatchSize());
            Trainer.Result result = trainer.run(from);
            System.err.printf("training done: %d steps in %.1f s, last loss %.4f%s%n", result.steps(), result.seconds(),
                    result.lastLoss(), result.lastCheckpoint().map(p -> ", checkpoint " + p).orElse(""));
            return ema.stateDict();
        }
    }

    /** The reference initialisation, or the weights of model.ckpt (a .pt from the reference, or .safetensors). */
    private SitModel initialModel() throws IOException {
        String ckpt = resolved.experiment().model().ckpt();
        if (ckpt == null) {
            return SitModel.initialised(config, resolved.experiment().seed());
        }
        Path file = Path.of(ckpt);
        if (!Files.isRegularFile(file)) {
            throw new IOException("model.ckpt " + ckpt + " does not exist");
        }
        Map<String, INDArray> weights = ckpt.endsWith(".safetensors")
                ? dev.sit.core.io.SafetensorsFile.read(file)
                : TorchCheckpointReader.read(file).model();
        return SitModel.withWeights(config, weights, ckpt);
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
