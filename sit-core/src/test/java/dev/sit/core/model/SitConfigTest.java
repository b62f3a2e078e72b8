package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SitConfigTest {

    /**
     * The reference count written out from the architecture: pos_embed T D; patch conv D C p^2 + D;
     * timestep MLP 256 D + D + D^2 + D; label table (classes + 1) D; per block qkv 3D^2 + 3D, proj D^2 + D,
     * fc1/fc2 2 (4D^2) + 4D + D, adaLN 6D^2 + 6D; final linear D p^2 C_out + p^2 C_out, final adaLN 2D^2 + 2D.
     */
    private static long referenceCount(long d, long depth, long p, long input, long c, long classes, boolean sigma) {
        long t = (input / p) * (input / p);
        long cOut = sigma ? 2 * c : c;
        long block = (3 * d * d + 3 * d) + (d * d + d) + (4 * d * d + 4 * d) + (4 * d * d + d) + (6 * d * d + 6 * d);
        return t * d + (d * c * p * p + d) + (256 * d + d + d * d + d) + (classes + 1) * d + depth * block
                + (d * p * p * cOut + p * p * cOut) + (2 * d * d + 2 * d);
    }

    @Test
    void xl2HasTheReferences675MParameters() {
        SitConfig xl2 = SitConfig.named("SiT-XL/2", 32, 4, 1000, true);
        assertThat(xl2.parameterCount()).isEqualTo(675_129_632L)
                .isEqualTo(referenceCount(1152, 28, 2, 32, 4, 1000, true));
    }

    @Test
    void s2HasAbout33MParameters() {
        SitConfig s2 = SitConfig.named("SiT-S/2", 32, 4, 1000, false);
        assertThat(s2.parameterCount()).isEqualTo(referenceCount(384, 12, 2, 32, 4, 1000, false));
        assertThat(s2.parameterCount()).isEqualTo(32_957_200L);
        // SAMEDIFF-NOTES count 32.86M without learn_sigma: the trained parameters (pos_embed excluded)
        assertThat(s2.trainableParameterCount()).isEqualTo(32_957_200L - 256 * 384);
        assertThat(s2.trainableParameterCount() / 1e6).isBetween(32.855, 32.865);
        assertThat(SitConfig.named("SiT-S/2", 32, 4, 1000, true).parameterCount() / 1e6).isBetween(32.8, 33.2);
    }

    @Test
    void everyNamedSizeMatchesTheReferenceFormula() {
        for (String name : SitConfig.modelNames()) {
            SitConfig c = SitConfig.named(name, 32, 4, 1000, true);
            assertThat(c.parameterCount()).as(name).isEqualTo(referenceCount(c.hiddenSize(), c.depth(),
                    c.patchSize(), 32, 4, 1000, true));
        }
        assertThat(SitConfig.modelNames()).hasSize(12).contains("SiT-B/4", "SiT-L/8");
        SitConfig b4 = SitConfig.named("sit-b/4", 32, 4, 1000, true);
        assertThat(b4.hiddenSize()).isEqualTo(768);
        assertThat(b4.depth()).isEqualTo(12);
        assertThat(b4.numHeads()).isEqualTo(12);
        assertThat(b4.patchSize()).isEqualTo(4);
    }

    @Test
    void stateDictKeysAndShapesFollowTheReferenceOrder() {
        JsonNode manifest = Golden.manifest("model-tiny");
        List<String> keys = new ArrayList<>();
        Map<String, long[]> shapes = TinyWeights.config().stateDictShapes();
        for (JsonNode e : manifest.get("state_dict")) {
            String key = e.get("key").asText();
            keys.add(key);
            long[] expected = new long[e.get("shape").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = e.get("shape").get(i).asLong();
            }
            assertThat(shapes.get(key)).as(key).isEqualTo(expected);
        }
        assertThat(shapes.keySet()).containsExactlyElementsOf(keys);
        // and the training checkpoint's parameter order (named_parameters) is the same
        List<String> optOrder = new ArrayList<>();
        for (JsonNode e : Golden.manifest("train-checkpoint").get("opt_param_index")) {
            optOrder.add(e.get("name").asText());
        }
        assertThat(optOrder).containsExactlyElementsOf(keys);
    }

    @Test
    void invalidConfigurationsAreExplained() {
        assertThatThrownBy(() -> new SitConfig(100, 2, 3, 2, 8, 4, 10, true, 4, 0.1))
                .hasMessageContaining("hidden_size 100 is not divisible by num_heads 3");
        assertThatThrownBy(() -> new SitConfig(64, 2, 4, 3, 8, 4, 10, true, 4, 0.1))
                .hasMessageContaining("input_size 8 is not divisible by patch_size 3");
        assertThatThrownBy(() -> new SitConfig(64, 0, 4, 2, 8, 4, 10, true, 4, 0.1)).hasMessageContaining("depth");
        assertThatThrownBy(() -> new SitConfig(64, 2, 4, 2, 8, 4, 10, true, 4, 1.0))
                .hasMessageContaining("class_dropout_prob");
        assertThatThrownBy(() -> SitConfig.named("SiT-M/2", 32, 4, 1000, true)).hasMessageContaining("SiT-XL/2");
        assertThatThrownBy(() -> SitConfig.named("SiT-S/3", 32, 4, 1000, true)).hasMessageContaining("patch");
    }

    @Test
    void noNullRowWithoutLabelDropout() {
        SitConfig c = new SitConfig(64, 1, 4, 2, 8, 4, 10, false, 4, 0.0);
        assertThat(c.stateDictShapes().get("y_embedder.embedding_table.weight")).containsExactly(10, 64);
        assertThat(c.stateDictShapes().get("final_layer.linear.weight")).containsExactly(16, 64);
    }
}
