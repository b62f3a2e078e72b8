package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loading weights into the wrong architecture names the key, both shapes and the setting to change. */
class StateDictMismatchTest {

    private static SitConfig tinyWith(int numClasses, boolean learnSigma, int inputSize, int patch) {
        return new SitConfig(64, 2, 4, patch, inputSize, 4, numClasses, learnSigma, 4.0, 0.1);
    }

    private static SitModel emptyModel(SitConfig c) {
        return SitModel.initialised(c, 0);
    }

    @Test
    void learnSigmaMismatch() {
        assertThatThrownBy(() -> emptyModel(tinyWith(10, false, 8, 2)).loadStateDict(TinyWeights.modelTiny(), "model.pt"))
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("model.pt")
                .hasMessageContaining("final_layer.linear.weight: checkpoint shape [32, 64], model shape [16, 64]")
                .hasMessageContaining("learn_sigma: true");
    }

    @Test
    void numClassesMismatch() {
        assertThatThrownBy(() -> emptyModel(tinyWith(1000, true, 8, 2)).loadStateDict(TinyWeights.modelTiny(), "model.pt"))
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("y_embedder.embedding_table.weight: checkpoint shape [11, 64], model shape [1001, 64]")
                .hasMessageContaining("num_classes 10");
    }

    @Test
    void imageSizeMismatch() {
        assertThatThrownBy(() -> emptyModel(tinyWith(10, true, 16, 2)).loadStateDict(TinyWeights.modelTiny(), "model.pt"))
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("pos_embed: checkpoint shape [1, 16, 64], model shape [1, 64, 64]")
                .hasMessageContaining("image_size");
    }

    @Test
    void patchSizeMismatch() {
        assertThatThrownBy(() -> emptyModel(tinyWith(10, true, 16, 4)).loadStateDict(TinyWeights.modelTiny(), "model.pt"))
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("x_embedder.proj.weight: checkpoint shape [64, 4, 2, 2], model shape [64, 4, 4, 4]")
                .hasMessageContaining("patch size");
    }

    @Test
    void depthAndMissingOrExtraKeys() {
        SitConfig deeper = new SitConfig(64, 3, 4, 2, 8, 4, 10, true, 4.0, 0.1);
        assertThatThrownBy(() -> emptyModel(deeper).loadStateDict(TinyWeights.modelTiny(), "model.pt"))
                .hasMessageContaining("missing keys [blocks.2.attn.qkv.weight")
                .hasMessageContaining("depth");
        Map<String, INDArray> extra = new LinkedHashMap<>(TinyWeights.modelTiny());
        extra.put("something.else", extra.get("pos_embed"));
        extra.remove("final_layer.linear.bias");
        assertThatThrownBy(() -> emptyModel(TinyWeights.config()).loadStateDict(extra, "model.pt"))
                .hasMessageContaining("missing keys [final_layer.linear.bias]")
                .hasMessageContaining("unexpected keys [something.else]");
    }

    @Test
    void aFailedLoadChangesNothing() {
        SitModel m = SitModel.withWeights(TinyWeights.config(), TinyWeights.modelTiny(), "model.pt");
        Map<String, INDArray> bad = new LinkedHashMap<>(TinyWeights.checkpointEma());
        bad.put("final_layer.linear.bias", bad.get("x_embedder.proj.bias"));
        assertThatThrownBy(() -> m.loadStateDict(bad, "bad.pt")).isInstanceOf(StateDictMismatchException.class);
        Golden.assertMatches(m.forward(Golden.npy("model-tiny", "x.npy"), Golden.npy("model-tiny", "t.npy"),
                Golden.npy("model-tiny", "y.npy")), "model-tiny", "out.npy");
    }
}
