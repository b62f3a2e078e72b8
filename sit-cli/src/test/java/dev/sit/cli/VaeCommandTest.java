package dev.sit.cli;

import dev.sit.core.io.NpyFile;
import dev.sit.core.io.SafetensorsFile;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.image.ImageBatch;
import dev.sit.core.image.ImageDecoder;
import dev.sit.core.image.PngWriter;
import dev.sit.core.image.Quantization;
import dev.sit.core.image.Uint8Image;
import dev.sit.core.vae.LatentSampling;
import dev.sit.core.vae.PretrainedVae;
import dev.sit.core.vae.VaeConfig;
import dev.sit.core.vae.VaeWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sit vae encode|decode} against the library calls they wrap, on a small random VAE in a diffusers folder. */
class VaeCommandTest {

    @TempDir
    static Path work;
    private static Path vaeDir;
    private static AutoencoderKl api;
    private static INDArray x;

    @BeforeAll
    static void writeVae() throws Exception {
        vaeDir = Files.createDirectories(work.resolve("tiny-vae"));
        Files.writeString(vaeDir.resolve("config.json"), "{\"_class_name\":\"AutoencoderKL\",\"block_out_channels\":[32,64],"
                + "\"layers_per_block\":1,\"latent_channels\":4,\"sample_size\":16,\"scaling_factor\":0.5}");
        VaeConfig config = VaeConfig.fromDiffusersConfig(vaeDir.resolve("config.json"));
        SafetensorsFile.write(vaeDir.resolve("diffusion_pytorch_model.safetensors"),
                VaeWeights.random(config, 3, 0.05).tensors(), Map.of());
        api = new AutoencoderKl(VaeWeights.load(vaeDir));
        x = Nd4j.rand(DataType.FLOAT, 3, 3, 16, 16).muli(2).subi(1);
        NpyFile.write(work.resolve("x.npy"), x);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SitCommand.withErrorContract(new CommandLine(new VaeCommand()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void encodeWritesScaledMeansOrSeededSamples() throws Exception {
        Path mean = work.resolve("mean.npy");
        Run r = run("encode", "--vae", vaeDir.toString(), "--in", work.resolve("x.npy").toString(), "--out",
                mean.toString(), "--mean");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("encoded 3 images 16x16").contains("[3, 4, 8, 8]");
        INDArray expected = api.encode(x, LatentSampling.MEAN, 0);
        assertThat(NpyFile.read(mean).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-6);

        Path raw = work.resolve("raw.npy");
        assertThat(run("encode", "--vae", vaeDir.toString(), "--in", work.resolve("x.npy").toString(), "--out",
                raw.toString(), "--mean", "--scaling-factor", "1").code()).isZero();
        assertThat(NpyFile.read(raw).sub(expected.div(0.5)).amaxNumber().doubleValue()).isLessThan(1e-6);

        Path s1 = work.resolve("s1.npy");
        Path s1again = work.resolve("s1again.npy");
        Path s2 = work.resolve("s2.npy");
        for (String[] a : List.of(new String[] {"5", s1.toString()}, new String[] {"5", s1again.toString()},
                new String[] {"6", s2.toString()})) {
            assertThat(run("encode", "--vae", vaeDir.toString(), "--in", work.resolve("x.npy").toString(),
                    "--out", a[1], "--seed", a[0], "--batch-size", "2").code()).isZero();
        }
        assertThat(NpyFile.read(s1).sub(api.encode(x, LatentSampling.SAMPLE, 5)).amaxNumber().doubleValue())
                .isLessThan(1e-6);
        assertThat(NpyFile.read(s1)).isEqualTo(NpyFile.read(s1again));
        assertThat(NpyFile.read(s1)).isNotEqualTo(NpyFile.read(s2));
    }

    @Test
    void encodeReadsAFolderOfImages() throws Exception {
        Path images = Files.createDirectories(work.resolve("images"));
        PngWriter.writeSamples(x, images, 0, Quantization.SAVE_IMAGE);
        Path out = work.resolve("from-images.npy");
        Run r = run("encode", "--vae", vaeDir.toString(), "--in", images.toString(), "--out", out.toString(),
                "--mean", "--image-size", "16");
        assertThat(r.code()).as(r.err()).isZero();
        // 16x16 PNGs at --image-size 16 are not resampled: the VAE sees the quantised images exactly
        INDArray quantised = levelsAsImages(x);
        assertThat(NpyFile.read(out).sub(api.encode(quantised, LatentSampling.MEAN, 0)).amaxNumber().doubleValue())
                .isLessThan(1e-6);
    }

    @Test
    void decodeWritesAnArrayOrPngs() throws Exception {
        INDArray latents = Nd4j.randn(DataType.FLOAT, 3, 4, 8, 8);
        NpyFile.write(work.resolve("latents.npy"), latents);
        Path arr = work.resolve("decoded.npy");
        Run r = run("decode", "--vae", vaeDir.toString(), "--in", work.resolve("latents.npy").toString(), "--out",
                arr.toString());
        assertThat(r.code()).as(r.err()).isZero();
        INDArray expected = api.decode(latents);
        assertThat(NpyFile.read(arr).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);

        Path pngs = work.resolve("pngs");
        r = run("decode", "--vae", vaeDir.toString(), "--in", work.resolve("latents.npy").toString(), "--out",
                pngs.toString(), "--batch-size", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("decoded images 0..1").contains("decoded images 2..2");
        try (var files = Files.list(pngs)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("000000.png", "000001.png", "000002.png");
        }
        BufferedImage last = ImageIO.read(pngs.resolve("000002.png").toFile());
        assertThat(last.getWidth()).isEqualTo(16);
        INDArray levels = levelsAsImages(expected).slice(2);
        // float32 decoding differences may move a level by one where a value sits on a rounding boundary
        INDArray read = ImageBatch.toTensor(ImageDecoder.readRgb(pngs.resolve("000002.png"))).slice(0);
        assertThat(read.sub(levels).amaxNumber().doubleValue()).isLessThanOrEqualTo(1 / 127.5 + 1e-6);
    }

    /** Images [N, 3, H, W] quantised with diffusers' rounding, back in [-1, 1]. */
    private static INDArray levelsAsImages(INDArray images) {
        byte[] nhwc = Quantization.SAVE_IMAGE.toNhwc(images);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        List<Uint8Image> list = new java.util.ArrayList<>();
        for (int i = 0; i < images.size(0); i++) {
            list.add(new Uint8Image(w, h, 3, java.util.Arrays.copyOfRange(nhwc, i * h * w * 3, (i + 1) * h * w * 3)));
        }
        return ImageBatch.toTensor(list);
    }

    @Test
    void aMissingNamedVaeExplainsHowToGetIt() {
        String before = System.getProperty(PretrainedVae.ROOT_PROPERTY);
        System.setProperty(PretrainedVae.ROOT_PROPERTY, work.resolve("empty-cache").toString());
        try {
            Run r = run("decode", "--vae", "ema", "--in", work.resolve("x.npy").toString(), "--out",
                    work.resolve("o").toString());
            // the user's setup lacks the weights: their input, exit 2 (the error contract)
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("stabilityai/sd-vae-ft-ema")
                    .contains(work.resolve("empty-cache").resolve("sd-vae-ft-ema").toString())
                    .contains("diffusion_pytorch_model.safetensors").contains("curl -L");
        } finally {
            if (before == null) {
                System.clearProperty(PretrainedVae.ROOT_PROPERTY);
            } else {
                System.setProperty(PretrainedVae.ROOT_PROPERTY, before);
            }
        }
    }

    @Test
    void badArgumentsAreExplained() {
        Run r = run("encode", "--vae", vaeDir.toString(), "--in", work.resolve("nothing.txt").toString(), "--out",
                work.resolve("l.npy").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("sit vae encode: error: --in must be a folder of images or an .npy file");
        r = run("decode", "--vae", vaeDir.toString(), "--in", work.resolve("x.npy").toString(), "--out",
                work.resolve("y.npy").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("latents must be [N, 4, h, w]").doesNotContain("Exception");
        assertThat(run("encode").code()).isEqualTo(2);
    }
}
