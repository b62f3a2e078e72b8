package dev.sit.core.vae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VaeConfigTest {

    @Test
    void stableDiffusionConfigHasTheReferenceParameterCountWithoutAllocating() {
        JsonNode ref = VaeGolden.manifest().get("sd_vae_reference");
        VaeConfig sd = VaeConfig.stableDiffusion();
        VaeParameterCount n = sd.parameterCount();
        JsonNode pc = ref.get("param_count");
        assertThat(n.total()).isEqualTo(pc.get("total").asLong()).isEqualTo(83_653_863L);
        assertThat(n.encoder()).isEqualTo(pc.get("encoder").asLong());
        assertThat(n.decoder()).isEqualTo(pc.get("decoder").asLong());
        assertThat(n.quantConv()).isEqualTo(pc.get("quant_conv").asLong());
        assertThat(n.postQuantConv()).isEqualTo(pc.get("post_quant_conv").asLong());
        assertThat(n.encodePath()).isEqualTo(pc.get("encode_path").asLong());
        assertThat(n.decodePath()).isEqualTo(pc.get("decode_path").asLong());
        assertThat(sd.downsampleFactor()).isEqualTo(ref.get("downsample_factor").asInt());
        assertThat(sd.scalingFactor()).isEqualTo(ref.get("scaling_factor").asDouble());
        assertShapesMatch(sd.parameterShapes(), ref.get("state_dict"));
    }

    @Test
    void diffusersConfigOfTheRealVaeGivesTheStableDiffusionConfig() {
        JsonNode diffusers = VaeGolden.manifest().get("sd_vae_reference").get("diffusers_config");
        assertThat(VaeConfig.fromDiffusersJson(diffusers)).isEqualTo(VaeConfig.stableDiffusion());
    }

    @Test
    void tinyConfigFromItsDiffusersConfigMatchesTheCompVisConfigAndShapes() {
        JsonNode cfg = VaeGolden.manifest().get("config");
        JsonNode dd = cfg.get("compvis_ddconfig");
        VaeConfig c = VaeGolden.config();
        assertThat(c.ch()).isEqualTo(dd.get("ch").asInt());
        List<Integer> mult = new ArrayList<>();
        dd.get("ch_mult").forEach(m -> mult.add(m.asInt()));
        assertThat(c.chMult()).isEqualTo(mult);
        assertThat(c.numResBlocks()).isEqualTo(dd.get("num_res_blocks").asInt());
        assertThat(c.zChannels()).isEqualTo(dd.get("z_channels").asInt());
        assertThat(c.embedDim()).isEqualTo(cfg.get("embed_dim").asInt());
        assertThat(c.inChannels()).isEqualTo(dd.get("in_channels").asInt());
        assertThat(c.outChannels()).isEqualTo(dd.get("out_ch").asInt());
        assertThat(c.parameterCount().total()).isEqualTo(cfg.get("param_count").get("total").asLong());
        assertThat(c.parameterCount().decoder()).isEqualTo(cfg.get("param_count").get("decoder").asLong());
        assertShapesMatch(c.parameterShapes(), VaeGolden.manifest().get("state_dict"));
    }

    @Test
    void unsupportedDiffusersLayoutsAreRejectedByName() throws Exception {
        ObjectMapper om = new ObjectMapper();
        JsonNode attnBlocks = om.readTree("{\"block_out_channels\":[32,64],\"down_block_types\":"
                + "[\"DownEncoderBlock2D\",\"AttnDownEncoderBlock2D\"]}");
        assertThatThrownBy(() -> VaeConfig.fromDiffusersJson(attnBlocks))
                .hasMessageContaining("AttnDownEncoderBlock2D");
        JsonNode noQuant = om.readTree("{\"block_out_channels\":[32,64],\"use_quant_conv\":false}");
        assertThatThrownBy(() -> VaeConfig.fromDiffusersJson(noQuant)).hasMessageContaining("use_quant_conv");
        JsonNode missing = om.readTree("{\"layers_per_block\":2}");
        assertThatThrownBy(() -> VaeConfig.fromDiffusersJson(missing)).hasMessageContaining("block_out_channels");
        JsonNode badGroups = om.readTree("{\"block_out_channels\":[48,96]}");
        assertThatThrownBy(() -> VaeConfig.fromDiffusersJson(badGroups)).hasMessageContaining("normGroups");
    }

    /** Same keys in the same order with the same shapes as the manifest's CompVis state dict. */
    private static void assertShapesMatch(Map<String, long[]> shapes, JsonNode stateDict) {
        List<String> expectedKeys = new ArrayList<>();
        for (JsonNode e : stateDict) {
            String key = e.get("key").asText();
            expectedKeys.add(key);
            List<Long> shape = new ArrayList<>();
            e.get("shape").forEach(d -> shape.add(d.asLong()));
            assertThat(shapes.get(key)).as(key).isNotNull();
            assertThat(shapes.get(key)).as(key).containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
        }
        assertThat(new ArrayList<>(shapes.keySet())).containsExactlyElementsOf(expectedKeys);
    }
}
