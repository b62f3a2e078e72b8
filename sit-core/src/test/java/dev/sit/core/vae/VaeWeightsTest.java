package dev.sit.core.vae;

import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.io.TorchCheckpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading the same tiny VAE from every supported layout and naming, and the errors for bad checkpoints. */
class VaeWeightsTest {

    private static VaeConfig tiny;
    private static VaeWeights reference;

    @BeforeAll
    static void load() throws Exception {
        tiny = VaeGolden.config();
        reference = VaeWeights.load(VaeGolden.DIR.resolve("diffusers"));
    }

    @Test
    void compVisAndDiffusersCheckpointsGiveBitwiseTheSameWeights() throws Exception {
        assertThat(reference.config()).isEqualTo(tiny);
        assertThat(reference.tensors()).hasSize(152);
        assertSame(VaeWeights.load(VaeGolden.DIR.resolve("vae_compvis.pt"), tiny));
        assertSame(VaeWeights.load(VaeGolden.DIR.resolve("vae_diffusers.pt"), tiny));
        // a diffusers weights file picks up the config.json beside it
        assertSame(VaeWeights.load(VaeGolden.DIR.resolve("diffusers/diffusion_pytorch_model.safetensors")));
    }

    @Test
    void compVisWeightsDecodeLikeTheReference() throws Exception {
        AutoencoderKl vae = new AutoencoderKl(VaeWeights.load(VaeGolden.DIR.resolve("vae_compvis.pt"), tiny));
        VaeGolden.assertMatches(vae.decodeUnscaled(VaeGolden.npy("z.npy")), "decoded.npy");
        VaeGolden.assertMatches(vae.encodeMoments(VaeGolden.npy("x.npy")), "moments.npy");
    }

    @Test
    void legacyDiffusersAttentionNamesWithConvShapesLoad() throws Exception {
        Map<String, INDArray> legacy = new LinkedHashMap<>();
        SafetensorsFile.read(VaeGolden.DIR.resolve("diffusers/diffusion_pytorch_model.safetensors")).forEach((k, v) -> {
            String n = k.replace(".to_q.", ".query.").replace(".to_k.", ".key.").replace(".to_v.", ".value.")
                    .replace(".to_out.0.", ".proj_attn.");
            legacy.put(n, n.endsWith("weight") && n.contains(".attentions.") && v.rank() == 2
                    ? v.reshape(v.size(0), v.size(1), 1, 1) : v);
        });
        assertThat(legacy).containsKey("decoder.mid_block.attentions.0.proj_attn.weight");
        assertSame(VaeWeights.fromStateDict(legacy, tiny, "legacy"));
    }

    @Test
    void fullStableDiffusionAndTrainingCheckpointsAreTrimmedWithNotes() throws Exception {
        Map<String, INDArray> compvis = TorchCheckpoint.stateDict(
                dev.sit.core.io.TorchCheckpointReader.read(VaeGolden.DIR.resolve("vae_compvis.pt")).root());
        Map<String, INDArray> full = new LinkedHashMap<>();
        full.put("model.diffusion_model.input_blocks.0.0.weight", Nd4j.zeros(DataType.FLOAT, 2, 2));
        full.put("cond_stage_model.transformer.x", Nd4j.zeros(DataType.FLOAT, 2));
        full.put("model_ema.decay", Nd4j.scalar(0.9999f));
        compvis.forEach((k, v) -> full.put("first_stage_model." + k, v));
        VaeWeights w = VaeWeights.fromStateDict(full, tiny, "sd.ckpt");
        assertSame(w);
        assertThat(String.join("\n", w.notes())).contains("first_stage_model").contains("ignored its 3 other tensors");

        // an LDM autoencoder training checkpoint: {"state_dict": {weights, loss.*}, "global_step": ...}
        Map<String, Object> inner = new LinkedHashMap<>(compvis);
        inner.put("loss.logvar", Nd4j.scalar(0f));
        inner.put("loss.discriminator.main.0.weight", Nd4j.zeros(DataType.FLOAT, 4, 3, 4, 4));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("epoch", 3L);
        root.put("state_dict", inner);
        VaeWeights t = VaeWeights.fromStateDict(TorchCheckpoint.stateDict(root), tiny, "last.ckpt");
        assertSame(t);
        assertThat(String.join("\n", t.notes())).contains("ignored 2 LDM training tensors");

        Map<String, INDArray> prefixed = new LinkedHashMap<>();
        compvis.forEach((k, v) -> prefixed.put("vae." + k, v));
        assertSame(VaeWeights.fromStateDict(prefixed, tiny, "vae-prefixed"));
    }

    @Test
    void everyMissingUnexpectedAndMisshapenTensorIsNamed() throws Exception {
        Map<String, INDArray> sd = new LinkedHashMap<>(
                SafetensorsFile.read(VaeGolden.DIR.resolve("diffusers/diffusion_pytorch_model.safetensors")));
        sd.remove("decoder.up_blocks.0.resnets.1.conv2.weight");     // = CompVis decoder.up.2.block.1.conv2.weight
        sd.remove("encoder.mid_block.attentions.0.to_k.bias");
        sd.put("decoder.up_blocks.0.attentions.0.to_q.weight", Nd4j.zeros(DataType.FLOAT, 64, 64));
        sd.put("text_model.embeddings.weight", Nd4j.zeros(DataType.FLOAT, 3));
        sd.put("encoder.conv_in.weight", Nd4j.zeros(DataType.FLOAT, 32, 3, 5, 5));
        assertThatThrownBy(() -> VaeWeights.fromStateDict(sd, tiny, "broken.safetensors"))
                .isInstanceOfSatisfying(VaeWeightsMismatchException.class, e -> {
                    assertThat(e.missing()).containsExactlyInAnyOrder("decoder.up.2.block.1.conv2.weight",
                            "encoder.mid.attn_1.k.bias");
                    assertThat(e.unexpected()).containsExactlyInAnyOrder(
                            "decoder.up_blocks.0.attentions.0.to_q.weight", "text_model.embeddings.weight");
                    assertThat(e.wrongShape()).singleElement().asString()
                            .contains("encoder.conv_in.weight").contains("[32, 3, 3, 3]").contains("[32, 3, 5, 5]");
                    assertThat(e.getMessage()).contains("broken.safetensors", "2 missing", "2 unexpected",
                            "decoder.up.2.block.1.conv2.weight", "text_model.embeddings.weight", "--vae-config");
                });
    }

    @Test
    void theWrongArchitectureSaysSoAndPointsToTheConfig() {
        assertThatThrownBy(() -> VaeWeights.load(VaeGolden.DIR.resolve("vae_compvis.pt")))
                .isInstanceOf(VaeWeightsMismatchException.class)
                .hasMessageContaining("ch=128").hasMessageContaining("--vae-config")
                .hasMessageContaining("encoder.down.3.block.0.conv1.weight");
    }

    @Test
    void foldersWithoutWeightsAndUnknownFilesAreClearErrors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThatThrownBy(() -> VaeWeights.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("diffusion_pytorch_model.safetensors").hasMessageContaining("config.json");
        Path odd = Files.writeString(dir.resolve("vae.onnx"), "x");
        assertThatThrownBy(() -> VaeWeights.load(odd)).hasMessageContaining(".safetensors, .bin, .pt");
        assertThatThrownBy(() -> VaeWeights.load(dir.resolve("none.pt"))).hasMessageContaining("no such file");
    }

    @Test
    void halfPrecisionTensorsBecomeFloat32() {
        Map<String, INDArray> half = new LinkedHashMap<>();
        reference.tensors().forEach((k, v) -> half.put(k, v.castTo(DataType.HALF)));
        VaeWeights w = VaeWeights.fromStateDict(half, tiny, "fp16");
        assertThat(w.tensors().values()).allSatisfy(a -> assertThat(a.dataType()).isEqualTo(DataType.FLOAT));
        assertThat(String.join("\n", w.notes())).contains("converted 152 tensors");
    }

    private static void assertSame(VaeWeights w) {
        assertThat(w.tensors().keySet()).containsExactlyElementsOf(reference.tensors().keySet());
        for (Map.Entry<String, INDArray> e : reference.tensors().entrySet()) {
            INDArray a = w.get(e.getKey());
            assertThat(a.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
            assertThat(a.dataType()).isEqualTo(DataType.FLOAT);
            assertThat(a.sub(e.getValue()).amaxNumber().doubleValue()).as(e.getKey() + " bitwise").isEqualTo(0.0);
        }
    }
}
