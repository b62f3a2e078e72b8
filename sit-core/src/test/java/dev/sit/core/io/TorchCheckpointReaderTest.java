package dev.sit.core.io;

import static dev.sit.core.io.IoTestFiles.golden;
import static dev.sit.core.io.IoTestFiles.longs;
import static dev.sit.core.io.IoTestFiles.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class TorchCheckpointReaderTest {

    private static TorchCheckpoint train;
    private static TorchCheckpoint tiny;
    private static JsonNode trainManifest;
    private static JsonNode tinyManifest;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        train = TorchCheckpointReader.read(golden("train-checkpoint/0000002.pt"));
        tiny = TorchCheckpointReader.read(golden("model-tiny/model.pt"));
        trainManifest = manifest("train-checkpoint");
        tinyManifest = manifest("model-tiny");
    }

    /** Keys, order, shapes and dtypes against the manifest's state_dict list. */
    private static void assertMatchesManifest(Map<String, INDArray> sd) {
        JsonNode expected = tinyManifest.get("state_dict");
        List<String> keys = new ArrayList<>();
        for (JsonNode e : expected) {
            keys.add(e.get("key").asText());
            INDArray a = sd.get(e.get("key").asText());
            assertThat(a).as(e.get("key").asText()).isNotNull();
            assertThat(a.shape()).as(e.get("key").asText()).containsExactly(longs(e.get("shape")));
            assertThat(a.dataType()).isEqualTo(DataType.FLOAT);
        }
        assertThat(sd.keySet()).containsExactlyElementsOf(keys);
    }

    @Test
    void bareStateDictMatchesManifestAndPosEmbed() throws IOException {
        assertThat(tiny.isTrainingCheckpoint()).isFalse();
        Map<String, INDArray> sd = tiny.model();
        assertMatchesManifest(sd);
        assertThat(tiny.weightsForSampling()).isEqualTo(sd);
        assertThat(tiny.ema()).isEmpty();
        assertThat(tiny.optimizerState()).isEmpty();
        assertThat(tiny.args()).isEmpty();
        // independent: the official pos_embed table saved by numpy
        INDArray pos = NpyFile.read(golden("model-tiny/pos_embed.npy"));
        assertThat(sd.get("pos_embed").reshape(16, 64)).isEqualTo(pos);
        // the sin-cos table itself: token 0 is at (0, 0), each half is [sin(16), cos(16)]
        assertThat(sd.get("pos_embed").getFloat(0, 0, 16)).isEqualTo(1f);
        assertThat(sd.get("pos_embed").getFloat(0, 0, 0)).isEqualTo(0f);
    }

    @Test
    void trainingCheckpointLayout() {
        assertThat(train.isTrainingCheckpoint()).isTrue();
        assertThat(new ArrayList<Object>(((Map<?, ?>) train.root()).keySet())).containsExactly("model", "ema", "opt", "args");
        assertMatchesManifest(train.model());
        assertMatchesManifest(train.ema().orElseThrow());
    }

    @Test
    void samplingUsesEmaWhichDiffersFromModel() {
        Map<String, INDArray> model = train.model();
        Map<String, INDArray> ema = train.ema().orElseThrow();
        assertThat(train.weightsForSampling()).isEqualTo(ema);
        // the generator made ema = 0.5 * model for every key except pos_embed (identical)
        for (String k : model.keySet()) {
            INDArray expected = k.equals("pos_embed") ? model.get(k) : model.get(k).mul(0.5);
            assertThat(ema.get(k)).as(k).isEqualTo(expected);
        }
        assertThat(ema.get("x_embedder.proj.weight")).isNotEqualTo(model.get("x_embedder.proj.weight"));
    }

    @Test
    void trainedWeightsMovedAtMostTwoAdamStepsFromTheInitialWeights() {
        // Initial weights are model-tiny's; two AdamW steps (lr 1e-4, no decay) move each weight by
        // at most lr * (1 + 1.0014) (step 1: |m/sqrt(v)| = 1; step 2: Cauchy-Schwarz bound).
        Map<String, INDArray> init = tiny.model();
        double lr = trainManifest.get("config").get("optimizer").get("lr").asDouble();
        double maxMove = 0;
        for (Map.Entry<String, INDArray> e : train.model().entrySet()) {
            double move = Transforms.abs(e.getValue().sub(init.get(e.getKey()))).maxNumber().doubleValue();
            assertThat(move).as(e.getKey()).isLessThanOrEqualTo(lr * 2.0014 + 1e-7);
            maxMove = Math.max(maxMove, move);
        }
        assertThat(maxMove).isGreaterThan(lr / 2);
        assertThat(train.model().get("pos_embed")).isEqualTo(init.get("pos_embed"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void optimizerStateIsReadable() {
        Map<String, Object> opt = train.optimizerState().orElseThrow();
        Map<Object, Object> state = (Map<Object, Object>) opt.get("state");
        Map<String, INDArray> model = train.model();
        int withState = 0;
        for (JsonNode p : trainManifest.get("opt_param_index")) {
            Object entry = state.get(p.get("index").asInt());
            if (!p.get("has_state").asBoolean()) {
                assertThat(entry).as(p.get("name").asText()).isNull();
                continue;
            }
            withState++;
            Map<String, Object> s = (Map<String, Object>) entry;
            INDArray step = (INDArray) s.get("step");
            assertThat(step.rank()).isZero();
            assertThat(step.getDouble()).isEqualTo(2.0);
            long[] shape = longs(p.get("shape"));
            assertThat(((INDArray) s.get("exp_avg")).shape()).containsExactly(shape);
            assertThat(((INDArray) s.get("exp_avg_sq")).shape()).containsExactly(shape);
            assertThat(model.get(p.get("name").asText()).shape()).containsExactly(shape);
            assertThat(((INDArray) s.get("exp_avg_sq")).minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        }
        assertThat(state).hasSize(withState);
        List<Object> groups = (List<Object>) opt.get("param_groups");
        Map<String, Object> g = (Map<String, Object>) groups.get(0);
        JsonNode cfg = trainManifest.get("config").get("optimizer");
        assertThat(g.get("lr")).isEqualTo(cfg.get("lr").asDouble());
        assertThat(g.get("betas")).isEqualTo(List.of(0.9, 0.999));
        assertThat(g.get("eps")).isEqualTo(cfg.get("eps").asDouble());
        assertThat(((Number) g.get("weight_decay")).doubleValue()).isZero();
        assertThat(g.get("amsgrad")).isEqualTo(false);
        assertThat(g.get("foreach")).isNull();
        assertThat((List<Object>) g.get("params")).hasSize(trainManifest.get("opt_param_index").size());
    }

    @Test
    void typedAdamStateByParameterName() {
        Map<String, INDArray> model = train.model();
        TorchAdamState adam = train.adamState().orElseThrow();
        Map<String, TorchAdamState.ParamState> byName = adam.byName(new ArrayList<>(model.keySet()), model);
        assertThat(byName).doesNotContainKey("pos_embed").hasSize(model.size() - 1);
        byName.forEach((name, s) -> {
            assertThat(s.step()).isEqualTo(2.0);
            assertThat(s.expAvg().shape()).as(name).containsExactly(model.get(name).shape());
        });
        assertThat(adam.paramGroups().get(0).get("lr")).isEqualTo(1e-4);
        assertThat(tiny.adamState()).isEmpty();
    }

    @Test
    void argsEqualTheManifest() {
        Map<String, Object> args = train.args();
        JsonNode expected = trainManifest.get("args");
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            names.add(e.getKey());
            Object actual = args.get(e.getKey());
            JsonNode v = e.getValue();
            if (v.isNull()) {
                assertThat(actual).as(e.getKey()).isNull();
            } else if (v.isBoolean()) {
                assertThat(actual).as(e.getKey()).isEqualTo(v.asBoolean());
            } else if (v.isIntegralNumber()) {
                assertThat(((Number) actual).longValue()).as(e.getKey()).isEqualTo(v.asLong());
                assertThat(actual).isInstanceOfAny(Integer.class, Long.class);
            } else if (v.isNumber()) {
                assertThat(actual).as(e.getKey()).isEqualTo(v.asDouble());
            } else {
                assertThat(actual).as(e.getKey()).isEqualTo(v.asText());
            }
        }
        assertThat(args.keySet()).containsExactlyElementsOf(names);
    }

    @Test
    void safetensorsAndPtOfTheSameVaeWeightsAgreeBitForBit() throws IOException {
        // two files written by different libraries (torch.save, huggingface safetensors)
        Map<String, INDArray> pt = TorchCheckpoint.stateDict(
                TorchCheckpointReader.read(golden("vae-tiny/vae_diffusers.pt")).root());
        Map<String, INDArray> st = SafetensorsFile.read(golden("vae-tiny/diffusers/diffusion_pytorch_model.safetensors"));
        assertThat(st.keySet()).containsExactlyElementsOf(pt.keySet());
        assertThat(st).hasSize(manifest("vae-tiny").get("config").get("num_tensors").asInt());
        for (String k : pt.keySet()) {
            assertThat(st.get(k)).as(k).isEqualTo(pt.get(k));
        }
    }

    @Test
    void stateDictFindsNestedDictsAndNamesWhatIsWrong() {
        INDArray w = Nd4j.ones(2);
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("encoder.w", w);
        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("global_step", 10);
        ckpt.put("state_dict", inner);
        assertThat(TorchCheckpoint.stateDict(ckpt)).containsExactly(Map.entry("encoder.w", w));
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("a", w);
        bad.put("epoch", 3);
        assertThatThrownBy(() -> TorchCheckpoint.stateDict(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'epoch'");
    }

    // ---- hostile and broken files ----

    private Path writeZip(String name, byte[] pickle, Map<String, float[]> storages) throws IOException {
        Path p = tmp.resolve(name + ".pt");
        Files.write(p, PickleBytes.torchZip(name, pickle, storages));
        return p;
    }

    @Test
    void refusesOsSystemBeforeRunningIt() throws IOException {
        Path marker = tmp.resolve("pwned");
        byte[] evil = new PickleBytes().proto(2).global("os", "system").mark().str("touch " + marker).tuple()
                .reduce().stop().bytes();
        Path p = writeZip("evil", evil, Map.of());
        assertThatThrownBy(() -> TorchCheckpointReader.read(p))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("os.system").hasMessageContaining(p.toString())
                .hasMessageContaining("evil/data.pkl");
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesEvalHiddenAfterTensorsAndStackGlobal() throws IOException {
        PickleBytes pb = new PickleBytes().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark()
                .str("w").floatTensor("0", 4, 0, new long[] {4}, new long[] {1})
                .str("x").global("builtins", "eval").mark().str("1+1").tuple().reduce()
                .setitems().stop();
        Path p = writeZip("hidden", pb.bytes(), Map.of("0", new float[] {1, 2, 3, 4}));
        assertThatThrownBy(() -> TorchCheckpointReader.read(p))
                .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("builtins.eval");

        // protocol 4 names globals with STACK_GLOBAL: SHORT_BINUNICODE 'posix', 'system', 0x93
        byte[] stackGlobal = new PickleBytes().proto(4).raw(0x8c, 5).raw('p', 'o', 's', 'i', 'x')
                .raw(0x8c, 6).raw('s', 'y', 's', 't', 'e', 'm').raw(0x93).mark().str("true").tuple().reduce()
                .stop().bytes();
        Path q = writeZip("stack", stackGlobal, Map.of());
        assertThatThrownBy(() -> TorchCheckpointReader.read(q))
                .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("posix.system");
    }

    @Test
    void truncatedCheckpointGivesAClearError() throws IOException {
        byte[] full = Files.readAllBytes(golden("train-checkpoint/0000002.pt"));
        for (int len : new int[] {full.length / 2, full.length - 30, 100, 3, 0}) {
            Path p = tmp.resolve("cut" + len + ".pt");
            Files.write(p, Arrays.copyOf(full, len));
            assertThatThrownBy(() -> TorchCheckpointReader.read(p)).as("length " + len)
                    .isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining(p.toString())
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("truncated", "not a PyTorch checkpoint"));
        }
    }

    @Test
    void missingOrShortStorageEntriesAreNamed() throws IOException {
        byte[] pickle = new PickleBytes().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark()
                .str("w").floatTensor("7", 6, 0, new long[] {2, 3}, new long[] {3, 1}).setitems().stop().bytes();
        Path missing = writeZip("missing", pickle, Map.of());
        assertThatThrownBy(() -> TorchCheckpointReader.read(missing)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("missing/data/7");
        byte[] huge = new PickleBytes().proto(2).emptyDict()
                .str("w").floatTensor("0", 1_000_000_000, 0, new long[] {1_000_000_000}, new long[] {1})
                .setitem().stop().bytes();
        Path claimsTooMuch = writeZip("claims", huge, Map.of("0", new float[] {1, 2}));
        assertThatThrownBy(() -> TorchCheckpointReader.read(claimsTooMuch)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("8 bytes").hasMessageContaining("4000000000");
        Path shorter = writeZip("short", pickle, Map.of("7", new float[] {1, 2, 3}));
        assertThatThrownBy(() -> TorchCheckpointReader.read(shorter)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("12 bytes").hasMessageContaining("24");
        byte[] outside = new PickleBytes().proto(2).emptyDict()
                .str("w").floatTensor("0", 4, 2, new long[] {2, 2}, new long[] {2, 1}).setitem().stop().bytes();
        Path over = writeZip("over", outside, Map.of("0", new float[] {1, 2, 3, 4}));
        assertThatThrownBy(() -> TorchCheckpointReader.read(over)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("reaches element 5").hasMessageContaining("only 4 elements");
    }

    @Test
    void viewsHonourOffsetSizeAndStride() throws IOException {
        float[] storage = new float[12];
        for (int i = 0; i < 12; i++) {
            storage[i] = i;
        }
        byte[] pickle = new PickleBytes().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark()
                .str("whole").floatTensor("s", 12, 0, new long[] {3, 4}, new long[] {4, 1})
                .str("transposed").floatTensor("s", 12, 1, new long[] {4, 2}, new long[] {1, 4})
                .str("rows").floatTensor("s", 12, 4, new long[] {2, 2}, new long[] {4, 1})
                .str("expanded").floatTensor("s", 12, 5, new long[] {2, 3}, new long[] {0, 1})
                .str("scalar").floatTensor("s", 12, 11, new long[] {}, new long[] {})
                .str("empty").floatTensor("s", 12, 0, new long[] {0, 3}, new long[] {3, 1})
                .setitems().stop().bytes();
        Map<String, INDArray> sd = TorchCheckpointReader.read(writeZip("views", pickle, Map.of("s", storage))).model();
        assertThat(sd.keySet()).containsExactly("whole", "transposed", "rows", "expanded", "scalar", "empty");
        assertThat(sd.get("whole")).isEqualTo(Nd4j.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4));
        // element (i, j) = storage[1 + i + 4 j]
        assertThat(sd.get("transposed")).isEqualTo(Nd4j.create(new float[] {1, 5, 2, 6, 3, 7, 4, 8}, 4, 2));
        assertThat(sd.get("rows")).isEqualTo(Nd4j.create(new float[] {4, 5, 8, 9}, 2, 2));
        assertThat(sd.get("expanded")).isEqualTo(Nd4j.create(new float[] {5, 6, 7, 5, 6, 7}, 2, 3));
        assertThat(sd.get("scalar").rank()).isZero();
        assertThat(sd.get("scalar").getFloat(0)).isEqualTo(11f);
        assertThat(sd.get("empty").shape()).containsExactly(0, 3);
        for (INDArray a : sd.values()) {
            assertThat(a.ordering()).isEqualTo('c');
        }
        // tensors over one storage do not share memory
        sd.get("whole").assign(-1);
        assertThat(sd.get("rows").getFloat(0, 0)).isEqualTo(4f);
    }

    @Test
    void corruptLengthsInThePickleDoNotAllocate() throws IOException {
        // BINUNICODE announcing 2 GB in a 20-byte pickle
        byte[] pickle = new PickleBytes().proto(2).raw('X', 0xff, 0xff, 0xff, 0x7f).raw('a', 'b').stop().bytes();
        Path p = writeZip("huge", pickle, Map.of());
        assertThatThrownBy(() -> TorchCheckpointReader.read(p)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("announces 2147483647 bytes");
        byte[] garbage = new PickleBytes().proto(2).raw(0xfe, 0x01).stop().bytes();
        Path q = writeZip("garbage", garbage, Map.of());
        assertThatThrownBy(() -> TorchCheckpointReader.read(q)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("malformed pickle");
        byte[] buildOnDict = new PickleBytes().proto(2).emptyDict().emptyDict().build().stop().bytes();
        Path r = writeZip("build", buildOnDict, Map.of());
        assertThatThrownBy(() -> TorchCheckpointReader.read(r)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("BUILD");
    }

    /**
     * The pre-1.6 (non-zip) format. The fixture is written by {@code io/make_legacy_fixture.py},
     * which emulates torch's {@code _legacy_save} byte layout with the standard pickle module (the
     * header bytes are the well-known {@code 80 02 8a 0a 6c fc 9c 46 f9 20 6a a8 50 19 2e}).
     */
    @Test
    void legacyFormatWithViewsAndIntegerStorage() throws IOException {
        Path legacy = IoTestFiles.resource("io/legacy_state_dict.pt");
        Map<String, INDArray> sd = TorchCheckpointReader.read(legacy).model();
        assertThat(sd.keySet()).containsExactly("layer.weight", "layer.weight_t", "counts");
        INDArray w = Nd4j.arange(12).castTo(DataType.FLOAT).divi(4).reshape(3, 4);
        assertThat(sd.get("layer.weight")).isEqualTo(w);
        // element (i, j) = storage[1 + i + 4 j]
        assertThat(sd.get("layer.weight_t")).isEqualTo(Nd4j.create(new float[] {1, 5, 2, 6, 3, 7}, 3, 2).divi(4));
        assertThat(sd.get("counts")).isEqualTo(Nd4j.createFromArray(new long[] {3, -1, 7}));

        byte[] full = Files.readAllBytes(legacy);
        for (int len : new int[] {full.length - 5, full.length - 70, 300, 20}) {
            Path cut = tmp.resolve("legacy" + len + ".pt");
            Files.write(cut, Arrays.copyOf(full, len));
            assertThatThrownBy(() -> TorchCheckpointReader.read(cut)).as("length " + len)
                    .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void notACheckpointAtAll() throws IOException {
        Path p = tmp.resolve("text.pt");
        Files.writeString(p, "hello, this is not a checkpoint");
        assertThatThrownBy(() -> TorchCheckpointReader.read(p)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("not a PyTorch checkpoint");
    }
}
