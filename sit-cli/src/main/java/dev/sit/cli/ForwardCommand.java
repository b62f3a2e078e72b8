package dev.sit.cli;

import dev.sit.core.io.InvalidInputException;
import dev.sit.core.io.InputTensorCheck;
import dev.sit.core.io.OutputLocation;
import dev.sit.core.io.NpyFile;
import dev.sit.core.model.Guidance;
import dev.sit.core.model.GuidedModel;
import dev.sit.core.model.SitConfig;
import dev.sit.core.model.SitModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sit forward}: evaluates the network once on inputs from {@code .npy} files, so a converted
 * checkpoint can be checked against another implementation. With {@code --cfg-scale} the inputs are
 * laid out as the reference's {@code forward_with_cfg} takes them (conditional half, then the same
 * inputs with null labels) and the output has the same shape.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Evaluate the SiT network once: out = model(x, t, y), or the reference's guided forward "
                + "(forward_with_cfg) with --cfg-scale.",
                "Example: sit forward --ckpt SiT-XL-2-256x256.pt --model SiT-XL/2 --x x.npy --t t.npy --y y.npy "
                        + "--out out.npy"})
public final class ForwardCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--x", required = true, paramLabel = "x.npy", description = "inputs (N, C, H, W), float")
    Path xFile;

    @Option(names = "--t", required = true, paramLabel = "t.npy", description = "times (N), float")
    Path tFile;

    @Option(names = "--y", required = true, paramLabel = "y.npy", description = "class labels (N), integer")
    Path yFile;

    @Option(names = "--cfg-scale", paramLabel = "S", description = "guided forward with scale S (inputs laid out "
            + "as [conditional; unconditional] halves)")
    Double cfgScale;

    @Option(names = "--cfg-channels", paramLabel = "first3|all", defaultValue = "first3",
            description = "channels guidance changes: first3 (the reference's rule, default) or all")
    String cfgChannels;

    @Option(names = "--out", required = true, paramLabel = "out.npy", description = "output file (N, C, H, W) float32")
    Path outFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;


    @picocli.CommandLine.Mixin
    ExperimentModelOption experimentModel = new ExperimentModelOption();


    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SitConfig config = modelOptions.config(experimentModel.baseConfig());
        if (modelOptions.checkpoint() == null) {
            throw new InvalidInputException("--ckpt FILE is required: the weights to evaluate (.pt or "
                    + ".safetensors)");
        }
        Guidance.Channels channels = Guidance.Channels.parse(cfgChannels);
        INDArray x = read(xFile, "--x");
        INDArray t = read(tFile, "--t");
        INDArray y = read(yFile, "--y");
        checkInputs(config, x, t, y);
        OutputLocation.check(outFile, "--out");
        SitModel model = modelOptions.buildModel(config, 0);
        INDArray result;
        if (cfgScale == null) {
            result = model.forward(x, t, y);
        } else {
            result = new GuidedModel(model, Guidance.of(cfgScale, channels)).forwardWithCfg(x, t, y, cfgScale);
        }
        NpyFile.write(outFile, result.dup('c'));
        out.printf("wrote %s: %s %s (%s)%n", outFile, result.dataType(), Arrays.toString(result.shape()),
                cfgScale == null ? "model(x, t, y)" : "guided forward, scale " + cfgScale + ", channels "
                        + cfgChannels);
        out.flush();
        return 0;
    }

    /** Shapes, finiteness and label range of the inputs, before the model is built. */
    private void checkInputs(SitConfig config, INDArray x, INDArray t, INDArray y) {
        long n = x.rank() == 4 ? x.size(0) : -1;
        int size = config.inputSize();
        InputTensorCheck.requireShape(x, "--x " + xFile, new long[] {n < 0 ? x.length() : n, config.inChannels(), size,
                size}, "N samples, in_channels " + config.inChannels() + ", input_size " + size + " x " + size);
        InputTensorCheck.requireShape(t, "--t " + tFile, new long[] {n}, "one time per sample of --x");
        InputTensorCheck.requireShape(y, "--y " + yFile, new long[] {n}, "one class label per sample of --x");
        InputTensorCheck.requireFinite(x, "--x " + xFile);
        InputTensorCheck.requireFinite(t, "--t " + tFile);
        InputTensorCheck.requireLabels(y, "--y " + yFile, config.labelTableRows(), "num_classes " + config.numClasses()
                + (config.hasNullClass() ? ", " + config.nullClass() + " = the null label" : ""));
    }

    private static INDArray read(Path file, String flag) throws IOException {
        try {
            return NpyFile.read(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, flag);
        }
    }
}
