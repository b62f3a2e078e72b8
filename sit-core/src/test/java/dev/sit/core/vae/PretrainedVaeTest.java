package dev.sit.core.vae;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PretrainedVaeTest {

    @Test
    void missingNamedVaeSaysWhichFilesToPutWhereAndHowToGetThem(@TempDir Path root) {
        Map<String, String> env = Map.of(PretrainedVae.ROOT_ENV, root.toString());
        assertThatThrownBy(() -> PretrainedVae.resolve("ema", env))
                .isInstanceOf(VaeNotFoundException.class)
                .hasMessageContaining(root.resolve("sd-vae-ft-ema").toString())
                .hasMessageContaining("config.json")
                .hasMessageContaining("diffusion_pytorch_model.safetensors")
                .hasMessageContaining("https://huggingface.co/stabilityai/sd-vae-ft-ema/resolve/main/config.json")
                .hasMessageContaining("SIT_VAE_DIR")
                .hasMessageContaining("--vae");
        assertThatThrownBy(() -> PretrainedVae.resolve("MSE", env))
                .hasMessageContaining("stabilityai/sd-vae-ft-mse");
    }

    @Test
    void namedVaeResolvesToItsFolderOnceTheFilesAreThere(@TempDir Path root) throws Exception {
        Map<String, String> env = Map.of(PretrainedVae.ROOT_ENV, root.toString());
        Path folder = root.resolve("sd-vae-ft-mse");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), "{}");
        assertThatThrownBy(() -> PretrainedVae.resolve("mse", env)).isInstanceOf(VaeNotFoundException.class);
        Files.write(folder.resolve("diffusion_pytorch_model.bin"), new byte[0]);
        assertThat(PretrainedVae.resolve("mse", env)).isEqualTo(folder);
    }

    @Test
    void pathsMustExistAndTheDefaultRootIsTheUserCache() {
        assertThatThrownBy(() -> PretrainedVae.resolve("/nonexistent/vae.pt", Map.of()))
                .hasMessageContaining("/nonexistent/vae.pt").hasMessageContaining("'ema'");
        assertThat(PretrainedVae.root(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "sit", "vae"));
    }
}
