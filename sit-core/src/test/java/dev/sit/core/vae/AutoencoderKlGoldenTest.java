package dev.sit.core.vae;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tiny SD-architecture VAE against the reference (CompVis code, PyTorch float32) outputs. */
class AutoencoderKlGoldenTest {

    private static AutoencoderKl vae;

    @BeforeAll
    static void load() throws Exception {
        vae = new AutoencoderKl(VaeWeights.load(VaeGolden.DIR.resolve("diffusers")), 2);
    }

    @Test
    void encodesToTheReferencePosterior() {
        INDArray x = VaeGolden.npy("x.npy");
        INDArray moments = vae.encodeMoments(x);
        VaeGolden.assertMatches(moments, "moments.npy");
        DiagonalGaussian p = DiagonalGaussian.fromMoments(moments);
        VaeGolden.assertMatches(p.mean(), "mean.npy");
        VaeGolden.assertMatches(p.std(), "std.npy");
        VaeGolden.assertMatches(p.sample(VaeGolden.npy("eps.npy")), "sample.npy");
        VaeGolden.assertMatches(vae.encode(x, VaeGolden.npy("eps.npy")), "latents_scaled.npy");
        VaeGolden.assertMatches(vae.encode(x, LatentSampling.MEAN, 0).div(0.18215), "mean.npy");
    }

    @Test
    void decodesAndRoundTripsLikeTheReference() {
        VaeGolden.assertMatches(vae.decodeUnscaled(VaeGolden.npy("z.npy")), "decoded.npy");
        VaeGolden.assertMatches(vae.decode(VaeGolden.npy("z.npy").mul(0.18215)), "decoded.npy");
        INDArray latents = vae.encode(VaeGolden.npy("x.npy"), LatentSampling.MEAN, 0);
        VaeGolden.assertMatches(vae.decode(latents), "roundtrip.npy");
    }

    @Test
    void everyBlockMatchesTheReferenceIntermediates() {
        List<String> encoderSide = new ArrayList<>();
        List<String> decoderSide = new ArrayList<>();
        for (JsonNode f : VaeGolden.manifest().get("files")) {
            String file = f.get("file").asText();
            if (file.startsWith("intermediates/")) {
                String module = f.get("compvis_module").asText();
                (module.startsWith("encoder") || module.equals("quant_conv") ? encoderSide : decoderSide).add(module);
            }
        }
        assertThat(encoderSide.size() + decoderSide.size()).isEqualTo(25);
        Map<String, INDArray> enc = vae.activations(VaeGolden.npy("x.npy"), true, encoderSide);
        Map<String, INDArray> dec = vae.activations(VaeGolden.npy("z.npy"), false, decoderSide);
        enc.forEach((m, a) -> VaeGolden.assertMatches(a, "intermediates/" + m + ".npy"));
        dec.forEach((m, a) -> VaeGolden.assertMatches(a, "intermediates/" + m + ".npy"));
    }

    @Test
    void resultsDoNotDependOnTheBatchSize() {
        AutoencoderKl single = new AutoencoderKl(vae.weights(), 1);
        INDArray x = VaeGolden.npy("x.npy");
        VaeGolden.assertClose(single.encodeMoments(x), vae.encodeMoments(x), 1e-6, 1e-6, "moments, batch 1 vs 2");
        VaeGolden.assertClose(single.encode(x, LatentSampling.SAMPLE, 42), vae.encode(x, LatentSampling.SAMPLE, 42),
                1e-6, 1e-6, "seeded sample, batch 1 vs 2");
        List<Long> firsts = new ArrayList<>();
        List<INDArray> parts = new ArrayList<>();
        INDArray latents = VaeGolden.npy("z.npy").mul(0.18215);
        single.decode(latents, (first, images) -> {
            firsts.add(first);
            parts.add(images.dup());
        });
        assertThat(firsts).containsExactly(0L, 1L);
        assertThat(parts).allSatisfy(p -> assertThat(p.shape()).containsExactly(1, 3, 16, 16));
        VaeGolden.assertMatches(org.nd4j.linalg.factory.Nd4j.concat(0, parts.get(0), parts.get(1)), "decoded.npy");
        // batch outputs collected without copying must survive the next graph call
        VaeGolden.assertMatches(single.decode(latents), "decoded.npy");
        VaeGolden.assertMatches(single.encodeMoments(x), "moments.npy");
    }

    @Test
    void sampledLatentsAreSeededAndSpreadAroundTheMean() {
        INDArray x = VaeGolden.npy("x.npy");
        INDArray a = vae.encode(x, LatentSampling.SAMPLE, 1);
        assertThat(vae.encode(x, LatentSampling.SAMPLE, 1)).isEqualTo(a);
        INDArray b = vae.encode(x, LatentSampling.SAMPLE, 2);
        assertThat(b).isNotEqualTo(a);
        // (sample - mean) / std is the standard-normal noise: its mean ~0 and variance ~1 over 128 values
        DiagonalGaussian p = vae.posterior(x);
        INDArray eps = a.div(0.18215).subi(p.mean()).divi(p.std());
        assertThat(Math.abs(eps.meanNumber().doubleValue())).isLessThan(0.35);
        assertThat(eps.varNumber().doubleValue()).isBetween(0.6, 1.5);
    }

    @Test
    void rejectsInputsOfTheWrongShape() {
        assertThatThrownBy(() -> vae.encodeMoments(org.nd4j.linalg.factory.Nd4j.zeros(1, 3, 15, 16)))
                .hasMessageContaining("multiple of").hasMessageContaining("4");
        assertThatThrownBy(() -> vae.encodeMoments(org.nd4j.linalg.factory.Nd4j.zeros(1, 4, 16, 16)))
                .hasMessageContaining("[N, 3, H, W]");
        assertThatThrownBy(() -> vae.decode(org.nd4j.linalg.factory.Nd4j.zeros(1, 3, 4, 4)))
                .hasMessageContaining("[N, 4, h, w]");
    }
}
