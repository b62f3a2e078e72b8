package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The tiny model against the reference's outputs (golden/model-tiny, golden/train-checkpoint). */
class SitModelGoldenTest {

    private static final String TINY = "model-tiny";
    private static SitModel model;
    private static INDArray x;
    private static INDArray t;
    private static INDArray y;

    @BeforeAll
    static void load() {
        model = SitModel.withWeights(TinyWeights.config(), TinyWeights.modelTiny(), "model-tiny/model.pt");
        x = Golden.npy(TINY, "x.npy");
        t = Golden.npy(TINY, "t.npy");
        y = Golden.npy(TINY, "y.npy");
    }

    @Test
    void forwardMatchesReference() {
        Golden.assertMatches(model.forward(x, t, y), TINY, "out.npy");
    }

    @Test
    void intermediatesMatchReference() {
        Map<String, INDArray> o = model.outputs(x, t, y, "x_embedder_out", "tokens_plus_pos", "t_emb", "y_emb", "c",
                "block0_adaLN", "block0_attn_out", "block0_mlp_out", "block0_out", "block1_out", "final_layer_out",
                "unpatchified_full");
        for (String name : new String[] {"x_embedder_out", "tokens_plus_pos", "t_emb", "y_emb", "c", "block0_attn_out",
                "block0_mlp_out", "block0_out", "block1_out", "final_layer_out", "unpatchified_full"}) {
            Golden.assertMatches(o.get(name), TINY, "intermediates/" + name + ".npy");
        }
        // the graph adds the "1 +" of the two scale chunks to the modulation bias: remove it to compare
        INDArray adaLn = o.get("block0_adaLN").dup();
        long d = TinyWeights.config().hiddenSize();
        adaLn.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d)).subi(1.0);
        adaLn.get(NDArrayIndex.all(), NDArrayIndex.interval(4 * d, 5 * d)).subi(1.0);
        Golden.assertMatches(adaLn, TINY, "intermediates/block0_adaLN.npy");
    }

    @Test
    void timestepFrequenciesMatchReference() {
        Golden.assertMatches(model.outputs(x, t, y, "t_freq").get("t_freq"), TINY, "t_freq.npy");
        Golden.assertMatches(TimestepEmbedding.sinusoidal(t), TINY, "t_freq.npy");
    }

    @Test
    void positionEmbeddingMatchesReference() {
        INDArray table = PositionEmbedding.table(64, 4, DataType.FLOAT);
        Golden.assertMatches(table.reshape(16, 64), TINY, "pos_embed.npy");
        // and it is what the reference stores in its state dict
        Golden.assertClose(table, TinyWeights.modelTiny().get("pos_embed"), 1e-6, 1e-6, "pos_embed in model.pt");
    }

    @Test
    void batchOfOneEqualsBatchOfThree() {
        INDArray three = model.forward(x.get(NDArrayIndex.interval(0, 3)), t.get(NDArrayIndex.interval(0, 3)),
                y.get(NDArrayIndex.interval(0, 3)));
        for (int i = 0; i < 3; i++) {
            INDArray one = model.forward(x.get(NDArrayIndex.interval(i, i + 1)), t.get(NDArrayIndex.interval(i, i + 1)),
                    y.get(NDArrayIndex.interval(i, i + 1)));
            Golden.assertClose(one, three.get(NDArrayIndex.interval(i, i + 1)), 1e-5, 1e-6, "sample " + i);
        }
    }

    @Test
    void outputsOfEarlierCallsAreNotOverwritten() {
        INDArray first = model.forward(x, t, y);
        INDArray copy = first.dup();
        model.forward(x.mul(2), t, y);
        assertThat(first.equalsWithEps(copy, 0.0)).isTrue();
    }

    @Test
    void stateDictRoundTripsExactly() {
        Map<String, INDArray> in = TinyWeights.modelTiny();
        Map<String, INDArray> out = model.stateDict();
        assertThat(out.keySet()).containsExactlyElementsOf(TinyWeights.config().stateDictShapes().keySet());
        for (String k : in.keySet()) {
            assertThat(out.get(k).shape()).as(k).isEqualTo(in.get(k).shape());
            assertThat(out.get(k).equalsWithEps(in.get(k), 0.0)).as(k).isTrue();
        }
    }

    @Test
    void stateDictSurvivesSafetensors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("model.safetensors");
        dev.sit.core.io.SafetensorsFile.write(file, model.stateDict(), Map.of());
        SitModel reloaded = SitModel.withWeights(TinyWeights.config(), dev.sit.core.io.SafetensorsFile.read(file),
                file.toString());
        assertThat(reloaded.forward(x, t, y).equalsWithEps(model.forward(x, t, y), 0.0)).isTrue();
    }

    @Test
    void trainCheckpointWeightsGiveReferenceOutputs() {
        INDArray xe = Golden.npy("train-checkpoint", "x_eval.npy");
        INDArray te = Golden.npy("train-checkpoint", "t_eval.npy");
        INDArray ye = Golden.npy("train-checkpoint", "y_eval.npy");
        SitModel trained = SitModel.withWeights(TinyWeights.config(), TinyWeights.checkpointEma(), "0000002.pt ema");
        Golden.assertMatches(trained.forward(xe, te, ye), "train-checkpoint", "out_ema.npy");
        // loading again replaces every weight
        trained.loadStateDict(TinyWeights.checkpointModel(), "0000002.pt model");
        Golden.assertMatches(trained.forward(xe, te, ye), "train-checkpoint", "out_model.npy");
    }
}
