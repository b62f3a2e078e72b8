package dev.sit.core.eval;

import dev.sit.core.io.CheckpointFormatException;
import dev.sit.core.io.TorchCheckpointReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The weights of pytorch-fid's {@code pt_inception-2015-12-05-6726825d.pth} (torchvision
 * Inception-v3 key layout: {@code Mixed_6d.branch1x1.conv.weight}, {@code ...bn.running_var},
 * {@code fc.weight}), read through the restricted {@code .pt} reader. Each BasicConv2d's
 * BatchNorm (eps 0.001, inference statistics) is folded into its convolution:
 *
 * <pre>
 *   s = gamma / sqrt(running_var + 0.001),   W' = W * s (per output channel),   b' = beta - running_mean * s
 * </pre>
 */
public final class InceptionWeights {

    /** torchvision's BasicConv2d BatchNorm epsilon. */
    static final double BN_EPS = 1e-3;

    private final Path source;
    private final Map<String, INDArray> stateDict;
    private final Map<String, INDArray> folded = new LinkedHashMap<>();

    private InceptionWeights(Path source, Map<String, INDArray> stateDict) {
        this.source = source;
        this.stateDict = stateDict;
    }

    /** Reads the file; a missing file is an {@link InceptionWeightsNotFoundException} naming {@code flag}. */
    public static InceptionWeights read(Path file, String flag) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            throw InceptionWeightsNotFoundException.at(file, flag);
        }
        Map<String, INDArray> sd = TorchCheckpointReader.read(file).model();
        if (!sd.containsKey("Mixed_7c.branch_pool.conv.weight") || !sd.containsKey("fc.weight")) {
            throw new CheckpointFormatException(file + " is not the FID Inception-v3 state dict: it has no"
                    + " Mixed_7c.branch_pool.conv.weight / fc.weight (its first keys: "
                    + sd.keySet().stream().limit(5).toList() + "); download pt_inception-2015-12-05-6726825d.pth from "
                    + InceptionWeightsNotFoundException.DOWNLOAD_URL);
        }
        return new InceptionWeights(file, sd);
    }

    public Path source() {
        return source;
    }

    /** The BatchNorm-folded kernel [out, in, kh, kw] of a BasicConv2d, checked against the expected shape. */
    INDArray kernel(String module, long out, long in, long kh, long kw) {
        fold(module);
        INDArray w = folded.get(module + ".weight");
        long[] expected = {out, in, kh, kw};
        if (!Arrays.equals(w.shape(), expected)) {
            throw mismatch(module + ".conv.weight", w.shape(), expected);
        }
        return w;
    }

    /** The folded bias [out] of a BasicConv2d. */
    INDArray bias(String module) {
        fold(module);
        return folded.get(module + ".bias");
    }

    /** {@code fc.weight} transposed to [2048, 1008], for {@code pool_3 . W^T} without the bias. */
    INDArray logitWeights() {
        INDArray w = require("fc.weight");
        if (w.rank() != 2 || w.size(1) != 2048) {
            throw mismatch("fc.weight", w.shape(), new long[] {1008, 2048});
        }
        return w.castTo(DataType.FLOAT).transpose().dup('c');
    }

    private void fold(String module) {
        if (folded.containsKey(module + ".weight")) {
            return;
        }
        INDArray w = require(module + ".conv.weight").castTo(DataType.DOUBLE);
        INDArray gamma = require(module + ".bn.weight").castTo(DataType.DOUBLE);
        INDArray beta = require(module + ".bn.bias").castTo(DataType.DOUBLE);
        INDArray mean = require(module + ".bn.running_mean").castTo(DataType.DOUBLE);
        INDArray var = require(module + ".bn.running_var").castTo(DataType.DOUBLE);
        long out = w.size(0);
        for (INDArray v : new INDArray[] {gamma, beta, mean, var}) {
            if (v.length() != out) {
                throw mismatch(module + ".bn.*", v.shape(), new long[] {out});
            }
        }
        INDArray scale = gamma.div(Transforms.sqrt(var.add(BN_EPS), false));
        INDArray kernel = w.reshape(out, w.length() / out).mulColumnVector(scale.reshape(out, 1)).reshape(w.shape());
        INDArray bias = beta.sub(mean.mul(scale));
        folded.put(module + ".weight", kernel.castTo(DataType.FLOAT).dup('c'));
        folded.put(module + ".bias", bias.castTo(DataType.FLOAT).reshape(out).dup('c'));
    }

    private INDArray require(String key) {
        INDArray a = stateDict.get(key);
        if (a == null) {
            TreeSet<String> near = new TreeSet<>();
            String prefix = key.substring(0, Math.max(0, key.indexOf('.')));
            stateDict.keySet().stream().filter(k -> k.startsWith(prefix)).limit(6).forEach(near::add);
            throw new IllegalArgumentException(source + ": the FID Inception weights lack '" + key + "'"
                    + (near.isEmpty() ? "" : " (keys under " + prefix + ": " + near + ")")
                    + "; is this pt_inception-2015-12-05-6726825d.pth?");
        }
        return a;
    }

    private IllegalArgumentException mismatch(String key, long[] actual, long[] expected) {
        return new IllegalArgumentException(source + ": '" + key + "' has shape " + Arrays.toString(actual)
                + ", FID Inception-v3 needs " + Arrays.toString(expected));
    }
}
