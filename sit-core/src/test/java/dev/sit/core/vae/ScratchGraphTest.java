package dev.sit.core.vae;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class ScratchGraphTest {
    @Test
    void scratch() throws Exception {
        Map<String, INDArray> sd = new LinkedHashMap<>();
        for (String k : Files.readAllLines(Path.of("/tmp/vaew/keys.txt"))) {
            sd.put(k, Nd4j.createFromNpyFile(Path.of("/tmp/vaew", k + ".npy").toFile()));
        }
        VaeWeights w = VaeWeights.fromStateDict(sd, VaeGolden.config(), "scratch");
        AutoencoderKl vae = new AutoencoderKl(w);
        INDArray x = VaeGolden.npy("x.npy");
        for (Map.Entry<String, INDArray> e : vae.activations(x, true, List.of("encoder.conv_in", "encoder.down.0.block.0",
                "encoder.down.0.downsample", "encoder.mid.block_1", "encoder.mid.attn_1", "encoder.mid.block_2", "encoder.conv_out", "quant_conv")).entrySet()) {
            INDArray exp = VaeGolden.npy("intermediates/" + e.getKey() + ".npy");
            System.out.println(e.getKey() + " maxdiff " + e.getValue().sub(exp).amaxNumber());
        }
        INDArray z = VaeGolden.npy("z.npy");
        for (Map.Entry<String, INDArray> e : vae.activations(z, false, List.of("post_quant_conv", "decoder.conv_in", "decoder.mid.block_1", "decoder.mid.attn_1", "decoder.up.2.block.0", "decoder.up.2.upsample", "decoder.up.0.block.1")).entrySet()) {
            INDArray exp = VaeGolden.npy("intermediates/" + e.getKey() + ".npy");
            System.out.println(e.getKey() + " maxdiff " + e.getValue().sub(exp).amaxNumber());
        }
        System.out.println("decoded maxdiff " + vae.decodeUnscaled(z).sub(VaeGolden.npy("decoded.npy")).amaxNumber());
        System.out.println("moments maxdiff " + vae.encodeMoments(x).sub(VaeGolden.npy("moments.npy")).amaxNumber());
    }
}
