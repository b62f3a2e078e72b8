package dev.sit.cli;

import dev.sit.core.io.InvalidInputException;
import dev.sit.core.io.OutputLocation;
import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.io.TorchCheckpoint;
import dev.sit.core.io.TorchCheckpointReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sit convert IN.pt OUT.safetensors}: a reference state dict or {@code train.py}
 * checkpoint to safetensors under the same key names, so the file loads into the PyTorch model
 * ({@code model.load_state_dict(safetensors.torch.load_file(OUT))}) and into sit.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a PyTorch .pt checkpoint (a bare state dict, or a train.py checkpoint with"
                + " model/ema/opt/args) to safetensors with the same key names.",
                "Only plain state dicts and training checkpoints are accepted: any other pickled object is refused."})
public final class ConvertCommand implements Callable<Integer> {

    /** Which weights of a training checkpoint to convert. */
    public enum Weights { model, ema }

    @Parameters(index = "0", paramLabel = "IN.pt", description = "checkpoint written by torch.save (torch >= 1.6 zip format)")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.safetensors", description = "file to write (atomically)")
    Path output;

    @Option(names = "--weights", paramLabel = "model|ema",
            description = "for a training checkpoint: the weights to convert (default: ema when present, as the"
                    + " reference samples with, else model)")
    Weights weights;

    @Option(names = "--quiet", description = "print only the summary line, not every key")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        OutputLocation.check(output, "OUT.safetensors");
        TorchCheckpoint ckpt = TorchCheckpointReader.read(input);
        Map<String, INDArray> sd;
        String which;
        if (weights == Weights.ema) {
            sd = ckpt.ema().orElseThrow(() -> new InvalidInputException(input + " has no 'ema' weights"
                    + (ckpt.isTrainingCheckpoint() ? "" : " (it is a bare state dict: use --weights model)")));
            which = "ema";
        } else if (weights == Weights.model) {
            sd = ckpt.model();
            which = ckpt.isTrainingCheckpoint() ? "model" : "state dict";
        } else {
            sd = ckpt.weightsForSampling();
            which = ckpt.ema().isPresent() ? "ema" : ckpt.isTrainingCheckpoint() ? "model" : "state dict";
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("source", String.valueOf(input.getFileName()));
        meta.put("weights", which);
        SafetensorsFile.write(output, sd, meta);
        long params = 0;
        for (Map.Entry<String, INDArray> e : sd.entrySet()) {
            params += e.getValue().length();
            if (!quiet) {
                out.printf("%-60s %-10s %s%n", e.getKey(), e.getValue().dataType(), Arrays.toString(e.getValue().shape()));
            }
        }
        out.printf("wrote %s: %d tensors, %,d parameters (%s weights of %s)%n", output, sd.size(), params, which, input);
        out.flush();
        return 0;
    }
}
