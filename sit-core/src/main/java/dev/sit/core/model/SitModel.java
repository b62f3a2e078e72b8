package dev.sit.core.model;

import dev.sit.core.io.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The SiT network as one SameDiff graph with a free batch dimension: placeholders {@code x}
 * (N, C, H, W), {@code t} (N) and {@code y} (N, int labels), output {@code out} (N, C, H, W)
 * (with learn_sigma the sigma channels are computed but not returned, as in the reference).
 *
 * <p>Parameters are graph variables named by the reference's state-dict keys; Linear weights are
 * held transposed ({@link ParameterLayout}). {@link #loadStateDict} and {@link #stateDict} convert
 * exactly between the two layouts. Label dropout is not part of the graph: a training loop applies
 * {@link LabelDropout} to the labels it feeds.
 *
 * <p>One instance serves either training ({@link #addLoss}) or evaluation with vector-Jacobian
 * products ({@link #vjp}), not both: SameDiff keeps one gradient function per graph.
 */
public final class SitModel {

    /** Placeholder names. */
    public static final String INPUT_X = "x";
    public static final String INPUT_T = "t";
    public static final String INPUT_Y = "y";
    /** The output variable (N, C, H, W). */
    public static final String OUTPUT = "out";
    private static final String VJP_COTANGENT = "vjp_v";
    private static final String VJP_LOSS = "vjp_loss";

    private final SitConfig config;
    private final DataType dtype;
    private final SameDiff sd;
    private final List<ParameterSpec> parameters;
    private final Map<String, ParameterSpec> byKey = new LinkedHashMap<>();
    private final NativeMemoryGuard memoryGuard = new NativeMemoryGuard();
    private String lossName;
    private boolean vjpGraph;

    private SitModel(SitConfig config, DataType dtype) {
        if (!dtype.isFPType()) {
            throw new IllegalArgumentException("the model's data type must be floating point, got " + dtype);
        }
        this.config = config;
        this.dtype = dtype;
        this.parameters = config.parameters();
        for (ParameterSpec p : parameters) {
            byKey.put(p.key(), p);
        }
        this.sd = SingleCopyGraph.create();
        build();
    }

    /** A model with the reference initialisation (seeded), in float32. */
    public static SitModel initialised(SitConfig config, long seed) {
        return initialised(config, seed, DataType.FLOAT);
    }

    /** A model with the reference initialisation (seeded), in the given floating-point type. */
    public static SitModel initialised(SitConfig config, long seed, DataType dtype) {
        SitModel m = new SitModel(config, dtype);
        m.loadStateDict(ReferenceInitialisation.tensors(config, seed, dtype), "reference initialisation");
        return m;
    }

    /**
     * A model in the given type with weights read one tensor at a time (e.g. an open safetensors
     * file, {@link dev.sit.core.io.SafetensorsFile#open}); see {@link #loadStateDict(TensorSource, String)}.
     */
    public static SitModel withWeights(SitConfig config, TensorSource tensors, String source, DataType dtype) {
        SitModel m = new SitModel(config, dtype);
        m.loadStateDict(tensors, source);
        return m;
    }

    /** A float32 model with the given reference-layout weights (see {@link #loadStateDict}). */
    public static SitModel withWeights(SitConfig config, Map<String, INDArray> stateDict, String source) {
        return withWeights(config, stateDict, source, DataType.FLOAT);
    }

    /** A model in the given type with the given reference-layout weights. */
    public static SitModel withWeights(SitConfig config, Map<String, INDArray> stateDict, String source,
                                       DataType dtype) {
        SitModel m = new SitModel(config, dtype);
        m.loadStateDict(stateDict, source);
        return m;
    }

    private void build() {
        GraphScope g = new GraphScope(sd, dtype, config);
        int size = config.inputSize();
        SDVariable x = sd.placeHolder(INPUT_X, dtype, -1, config.inChannels(), size, size);
        SDVariable t = sd.placeHolder(INPUT_T, dtype, -1);
        SDVariable y = sd.placeHolder(INPUT_Y, DataType.INT32, -1);
        SDVariable pos = sd.constant("pos_embed", PositionEmbedding.table(config.hiddenSize(), config.gridSize(), dtype));
        SDVariable h = sd.math.add("tokens_plus_pos", PatchEmbedding.build(g, x), pos);
        SDVariable c = sd.math.add("c", TimestepEmbedding.build(g, t), LabelEmbedding.build(g, y));
        SDVariable siluC = g.silu(c);
        for (int i = 0; i < config.depth(); i++) {
            h = AdaLnBlock.build(g, i, h, siluC);
        }
        FinalLayer.build(g, h, siluC, OUTPUT);
    }

    public SitConfig config() {
        return config;
    }

    public DataType dataType() {
        return dtype;
    }

    /** The graph, for training ({@code TrainingConfig} + {@code fit}) and inspection. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** Placeholder names in feature order: x, t, y. */
    public List<String> inputNames() {
        return List.of(INPUT_X, INPUT_T, INPUT_Y);
    }

    /** The output variable's name. */
    public String outputName() {
        return OUTPUT;
    }

    /**
     * The output's shape with a free batch, (-1, C, H, W). SameDiff does not know the shapes of op
     * outputs, so a loss built on the output takes it from here.
     */
    public long[] outputShape() {
        return new long[] {-1, config.inChannels(), config.inputSize(), config.inputSize()};
    }

    /** The reference tensors, in the reference order (also the graph variable names). */
    public List<ParameterSpec> parameters() {
        return parameters;
    }

    /** Names of the trained variables (every parameter but the fixed {@code pos_embed}). */
    public List<String> trainableVariableNames() {
        return parameters.stream().filter(p -> p.kind() != ParameterSpec.Kind.POSITION_EMBEDDING)
                .map(ParameterSpec::key).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- evaluation

    /** {@code model(x, t, y)}: x (N, C, H, W), t (N) times, y (N) integer labels; returns (N, C, H, W). */
    public INDArray forward(INDArray x, INDArray t, INDArray y) {
        INDArray out = sd.output(placeholders(x, t, y), OUTPUT).get(OUTPUT);
        memoryGuard.afterStep();
        return out;
    }

    /** Named graph variables (e.g. {@code t_emb}, {@code block0_out}) for the given inputs. */
    public Map<String, INDArray> outputs(INDArray x, INDArray t, INDArray y, String... names) {
        return sd.output(placeholders(x, t, y), names);
    }

    /** The placeholder map for the inputs, after checking shapes, types and label range. */
    public Map<String, INDArray> placeholders(INDArray x, INDArray t, INDArray y) {
        int size = config.inputSize();
        long[] s = x.shape();
        if (s.length != 4 || s[1] != config.inChannels() || s[2] != size || s[3] != size) {
            throw new IllegalArgumentException("x has shape " + Arrays.toString(s) + "; this model takes (N, "
                    + config.inChannels() + ", " + size + ", " + size + ") (in_channels " + config.inChannels()
                    + ", input_size " + size + ")");
        }
        long n = s[0];
        if (t.length() != n || t.rank() > 2) {
            throw new IllegalArgumentException("t has shape " + Arrays.toString(t.shape()) + "; expected (" + n
                    + "), one time per sample of x");
        }
        if (y.length() != n || y.rank() > 2) {
            throw new IllegalArgumentException("y has shape " + Arrays.toString(y.shape()) + "; expected (" + n
                    + "), one class label per sample of x");
        }
        if (!y.dataType().isIntType()) {
            throw new IllegalArgumentException("y must hold integer class labels, got " + y.dataType());
        }
        int rows = config.labelTableRows();
        if (n > 0 && (y.minNumber().longValue() < 0 || y.maxNumber().longValue() >= rows)) {
            throw new IllegalArgumentException("class labels must be in [0, " + (rows - 1) + "] (num_classes "
                    + config.numClasses() + (config.hasNullClass() ? ", " + config.nullClass() + " = null label" : "")
                    + "), got labels from " + y.minNumber().longValue() + " to " + y.maxNumber().longValue());
        }
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(INPUT_X, x.dataType() == dtype ? x : x.castTo(dtype));
        ph.put(INPUT_T, t.reshape(n).castTo(dtype));
        ph.put(INPUT_Y, y.reshape(n).castTo(DataType.INT32));
        return ph;
    }

    /**
     * Vector-Jacobian product {@code d/dx sum(model(x, t, y) * v)} (N, C, H, W), through SameDiff's
     * gradients; {@code v} has the output's shape.
     */
    public synchronized INDArray vjp(INDArray x, INDArray t, INDArray y, INDArray v) {
        if (lossName != null) {
            throw new IllegalStateException("this model has a training loss (" + lossName + "); build a separate "
                    + "SitModel for vector-Jacobian products");
        }
        if (!Arrays.equals(v.shape(), x.shape())) {
            throw new IllegalArgumentException("the cotangent v has shape " + Arrays.toString(v.shape())
                    + "; it must have the output's shape " + Arrays.toString(x.shape()));
        }
        if (!vjpGraph) {
            SDVariable cot = sd.placeHolder(VJP_COTANGENT, dtype, -1, config.inChannels(), config.inputSize(),
                    config.inputSize());
            sd.sum(VJP_LOSS, sd.getVariable(OUTPUT).mul(cot));
            sd.setLossVariables(VJP_LOSS);
            // the placeholder x gets a gradient only if named here; building it prints a line per op
            QuietStdout.run(() -> sd.createGradFunction(INPUT_X));
            vjpGraph = true;
        }
        Map<String, INDArray> ph = placeholders(x, t, y);
        ph.put(VJP_COTANGENT, v.castTo(dtype));
        INDArray grad = sd.calculateGradients(ph, INPUT_X).get(INPUT_X);
        memoryGuard.afterStep();
        return grad;
    }

    /**
     * Frees the arrays SameDiff's evaluation sessions cache for reuse (one session per thread, each
     * with a cache that may grow to a quarter of JavaCPP's {@code maxbytes}). Training builds its own
     * session and cache, so a graph that was evaluated and is then trained would otherwise hold both.
     * Outputs already returned stay valid; the next evaluation starts a new session.
     */
    public synchronized void releaseEvaluationCaches() {
        for (org.nd4j.autodiff.samediff.internal.InferenceSession session : sd.getSessions().values()) {
            if (session.getMmgr() != null) {
                session.getMmgr().close();
            }
        }
        sd.getSessions().clear();
        System.gc(); // the sessions' other arrays are freed only when the JVM collects them
    }

    // ---------------------------------------------------------------- training

    /** Builds a scalar loss from the model output (and any placeholders it adds to the graph). */
    @FunctionalInterface
    public interface LossBuilder {
        SDVariable build(SameDiff sd, SDVariable output);
    }

    /**
     * Adds the training loss built by {@code builder}, names it {@code name} and makes it the graph's
     * only loss variable; then builds the gradient function (quietly). Once per model.
     */
    public synchronized SDVariable addLoss(String name, LossBuilder builder) {
        if (lossName != null) {
            throw new IllegalStateException("this model already has the loss " + lossName);
        }
        if (vjpGraph) {
            throw new IllegalStateException("this model was used for vector-Jacobian products; build a separate "
                    + "SitModel for training");
        }
        SDVariable loss = builder.build(sd, sd.getVariable(OUTPUT));
        if (!name.equals(loss.name())) {
            loss = sd.identity(name, loss);
        }
        sd.setLossVariables(name);
        lossName = name;
        QuietStdout.run(sd::createGradFunction);
        return loss;
    }

    // ---------------------------------------------------------------- weights

    /**
     * Sets every parameter from a reference-layout state dict (keys as in the reference's
     * {@code state_dict()}, PyTorch shapes). Every key and shape is checked before anything is
     * changed: missing and unexpected keys are named, and a shape mismatch names the key, both
     * shapes and the setting that most likely caused it.
     *
     * @param source where the weights come from (a file name), for messages
     */
    public void loadStateDict(Map<String, INDArray> stateDict, String source) {
        loadStateDict(TensorSource.of(stateDict), source);
    }

    /**
     * As {@link #loadStateDict(Map, String)}, reading one tensor at a time: keys, shapes and types
     * are checked from the source's metadata before any tensor is read, then each tensor is read,
     * converted to the graph layout, copied into its variable and dropped. Memory holds the model's
     * weights plus one tensor, never a second full copy.
     *
     * @param source where the weights come from (a file name), for messages
     * @throws java.io.UncheckedIOException when the source fails to read a tensor
     */
    public void loadStateDict(TensorSource tensors, String source) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String k : tensors.keys()) {
            shapes.put(k, tensors.shape(k));
        }
        // keys and shapes, with the likely setting behind a mismatch (shared with the checkpoint pre-read)
        new ExpectedStateDict(config).check(shapes, source);
        List<String> problems = new ArrayList<>();
        for (ParameterSpec p : parameters) {
            if (!tensors.isFloatingPoint(p.key())) {
                problems.add(p.key() + ": data type is not floating point");
            }
        }
        if (!problems.isEmpty()) {
            throw new StateDictMismatchException(source + " does not fit this model (" + describe() + "): "
                    + String.join("; ", problems));
        }
        for (ParameterSpec p : parameters) {
            INDArray reference;
            try {
                reference = tensors.read(p.key());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            INDArray converted = ParameterLayout.toGraph(p, reference);
            INDArray graph = converted.castTo(dtype);
            SDVariable v = sd.getVariable(p.key());
            INDArray current = v.getArr();
            if (current == null) {
                v.setArray(graph);
            } else {
                current.assign(graph);
                // off-heap memory returns only when the JVM collects an array, and the heap stays small
                // enough that it rarely does: free each temporary now, or they add up to a second copy
                free(graph);
            }
            if (converted != graph) {
                free(converted);
            }
            tensors.release(reference);
        }
    }

    private static void free(INDArray a) {
        if (a.closeable()) {
            a.close();
        }
    }

    /** Every parameter in the reference layout and order (fresh copies, in the model's type). */
    public Map<String, INDArray> stateDict() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterSpec p : parameters) {
            out.put(p.key(), ParameterLayout.toReference(p, sd.getVariable(p.key()).getArr()));
        }
        return out;
    }

    /** A short description of the architecture, for messages. */
    public String describe() {
        return new ExpectedStateDict(config).describe();
    }
}
