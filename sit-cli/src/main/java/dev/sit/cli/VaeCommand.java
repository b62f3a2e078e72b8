package dev.sit.cli;

import dev.sit.core.data.ImageFolderSource;
import dev.sit.core.image.AdmCenterCrop;
import dev.sit.core.image.ImageBatch;
import dev.sit.core.image.ImageDecoder;
import dev.sit.core.image.PngWriter;
import dev.sit.core.image.Quantization;
import dev.sit.core.image.Uint8Image;
import dev.sit.core.io.NpyFile;
import dev.sit.core.vae.AutoencoderKl;
import dev.sit.core.vae.LatentSampling;
import dev.sit.core.vae.VaeWeights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sit vae encode|decode}: moves images to SD-VAE latents and back, for users who exchange latents with other
 * tools. Latents are {@code scalingFactor * z} (0.18215 for SD) unless {@code --scaling-factor} says otherwise.
 */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = "Encode images to Stable Diffusion VAE latents and decode latents to images.",
        subcommands = {VaeCommand.Encode.class, VaeCommand.Decode.class, CommandLine.HelpCommand.class})
public final class VaeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options both subcommands share: which VAE and how to run it. */
    static final class VaeOptions {
        @Mixin
        VaeSelection selection;

        @Option(names = "--scaling-factor", paramLabel = "F",
                description = "latent = F * z (default: the config's scaling_factor, 0.18215 for SD; 1 for raw z).")
        Double scalingFactor;

        @Option(names = "--batch-size", defaultValue = "" + AutoencoderKl.DEFAULT_BATCH_SIZE, paramLabel = "N",
                description = "images per VAE call; bounds memory (default: ${DEFAULT-VALUE}).")
        int batchSize;

        AutoencoderKl load(CommandLine commandLine, PrintWriter err) throws IOException {
            if (selection.vae == null) {
                throw new CommandLine.ParameterException(commandLine, "Missing required option: '--vae=ema|mse|PATH'");
            }
            VaeWeights weights = selection.load(selection.vae);
            if (scalingFactor != null) {
                if (!(scalingFactor > 0)) {
                    throw new IllegalArgumentException("--scaling-factor must be positive, got " + scalingFactor);
                }
                weights = new VaeWeights(weights.config().withScalingFactor(scalingFactor), weights.tensors(),
                        weights.notes());
            }
            weights.notes().forEach(err::println);
            return new AutoencoderKl(weights, batchSize);
        }
    }

    /** How decoded images become PNG levels: diffusers' round(clamp((x + 1) / 2) * 255). */
    static final Quantization DECODED_PNG = Quantization.SAVE_IMAGE;

    /** The images of a flat folder in name order, decoded and ADM-center-cropped as for training, in [-1, 1]. */
    static INDArray readImages(Path folder, int size) throws IOException {
        List<Uint8Image> images = new ArrayList<>();
        for (Path f : ImageFolderSource.imagesIn(folder)) {
            images.add(AdmCenterCrop.apply(ImageDecoder.readRgb(f), size));
        }
        return ImageBatch.toTensor(images);
    }

    private static boolean isNpy(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }

    /** {@code sit vae encode}. */
    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = "Encode images (a folder, ADM-center-cropped, or an .npy [N,3,H,W] in [-1,1]) to latents.npy"
                    + " [N,4,H/8,W/8] = scaling_factor * sample (or * mean with --mean).")
    static final class Encode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        VaeOptions vae;

        @Option(names = "--in", required = true, paramLabel = "IMAGES_DIR|x.npy",
                description = "a folder of images (png, jpg, ...) or an .npy float array [N,3,H,W] in [-1,1]")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "latents.npy", description = "where the latents go")
        Path out;

        @Option(names = "--mean", description = "the posterior mean instead of a sample")
        boolean mean;

        @Option(names = "--seed", defaultValue = "0", description = "seed of the posterior sample (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--image-size", paramLabel = "S",
                description = "center-crop size for an images folder (default: 256); multiple of 8")
        int imageSize = 256;

        @Override
        public Integer call() throws Exception {
            return SitCommand.checkingArguments(() -> {
                PrintWriter err = spec.commandLine().getErr();
                if (!isNpy(out)) {
                    throw new IllegalArgumentException("--out must be an .npy file, got " + out);
                }
                INDArray x;
                if (Files.isDirectory(in)) {
                    x = readImages(in, imageSize);
                } else if (isNpy(in)) {
                    x = NpyFile.read(in).castTo(DataType.FLOAT);
                    double lo = x.minNumber().doubleValue();
                    double hi = x.maxNumber().doubleValue();
                    if (lo < -1.5 || hi > 1.5) {
                        err.printf("warning: %s spans [%.3g, %.3g]; the VAE expects images in [-1, 1]"
                                + " (pixel / 127.5 - 1)%n", in, lo, hi);
                    }
                } else {
                    throw new IllegalArgumentException("--in must be a folder of images or an .npy file, got " + in);
                }
                AutoencoderKl model = vae.load(spec.commandLine(), err);
                long t0 = System.nanoTime();
                INDArray latents = model.encode(x, mean ? LatentSampling.MEAN : LatentSampling.SAMPLE, seed);
                double s = (System.nanoTime() - t0) / 1e9;
                NpyFile.write(out, latents.dup('c'));
                spec.commandLine().getOut().printf("encoded %d images %s to %s: latents %s (%s x %.6g) in %.1f s"
                                + " (%.2f images/s)%n", x.size(0), x.size(2) + "x" + x.size(3), out,
                        Arrays.toString(latents.shape()), mean ? "mean" : "sample, seed " + seed,
                        model.config().scalingFactor(), s, x.size(0) / s);
                return 0;
            });
        }
    }

    /** {@code sit vae decode}. */
    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Decode latents.npy [N,4,h,w] (scaled by the scaling factor) to PNGs 000000.png... in a folder,"
                    + " or to an .npy [N,3,8h,8w] float array in [-1,1] (not clamped).")
    static final class Decode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        VaeOptions vae;

        @Option(names = "--in", required = true, paramLabel = "latents.npy", description = "latents [N,4,h,w]")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "DIR|images.npy",
                description = "a folder for PNGs or an .npy file")
        Path out;

        @Override
        public Integer call() throws Exception {
            return SitCommand.checkingArguments(() -> {
                PrintWriter err = spec.commandLine().getErr();
                if (!isNpy(in)) {
                    throw new IllegalArgumentException("--in must be an .npy file of latents, got " + in);
                }
                INDArray latents = NpyFile.read(in).castTo(DataType.FLOAT);
                AutoencoderKl model = vae.load(spec.commandLine(), err);
                long t0 = System.nanoTime();
                if (isNpy(out)) {
                    NpyFile.write(out, model.decode(latents).dup('c'));
                } else {
                    model.decode(latents, (first, images) -> {
                        PngWriter.writeSamples(images, out, first, DECODED_PNG);
                        err.printf("decoded images %d..%d%n", first, first + images.size(0) - 1);
                        err.flush();
                    });
                }
                double s = (System.nanoTime() - t0) / 1e9;
                spec.commandLine().getOut().printf("decoded %d latents %s to %s in %.1f s (%.3f images/s)%n",
                        latents.size(0), Arrays.toString(latents.shape()), out, s, latents.size(0) / s);
                return 0;
            });
        }
    }
}
