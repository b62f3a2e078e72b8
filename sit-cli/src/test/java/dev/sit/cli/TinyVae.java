package dev.sit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The tiny VAE fixture of sit-core's test resources (golden/vae-tiny/diffusers: downsampling 4) as a folder. */
final class TinyVae {

    private TinyVae() {
    }

    /** Copies the diffusers folder (config.json + diffusion_pytorch_model.safetensors) into {@code dir}. */
    static Path copyTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : new String[] {"config.json", "diffusion_pytorch_model.safetensors"}) {
            try (InputStream in = TinyVae.class.getResourceAsStream("/golden/vae-tiny/diffusers/" + f)) {
                if (in == null) {
                    throw new IOException("sit-core test resource golden/vae-tiny/diffusers/" + f + " missing");
                }
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** Runs {@code body} with {@code -Dsit.vae.dir} pointing at {@code root} (where 'ema' and 'mse' are looked for). */
    static <T> T withVaeRoot(Path root, java.util.concurrent.Callable<T> body) throws Exception {
        String before = System.getProperty(dev.sit.core.vae.PretrainedVae.ROOT_PROPERTY);
        System.setProperty(dev.sit.core.vae.PretrainedVae.ROOT_PROPERTY, root.toString());
        try {
            return body.call();
        } finally {
            if (before == null) {
                System.clearProperty(dev.sit.core.vae.PretrainedVae.ROOT_PROPERTY);
            } else {
                System.setProperty(dev.sit.core.vae.PretrainedVae.ROOT_PROPERTY, before);
            }
        }
    }
}
