package dev.sit.core.vae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The vae-tiny golden case (copied from the reference) and its tolerance rule. */
final class VaeGolden {

    static final Path DIR = resource("golden/vae-tiny");
    private static JsonNode manifest;

    private VaeGolden() {
    }

    static Path resource(String name) {
        try {
            return Path.of(VaeGolden.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " missing", e);
        }
    }

    static synchronized JsonNode manifest() {
        if (manifest == null) {
            try {
                manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifest;
    }

    static INDArray npy(String file) {
        try {
            return dev.sit.core.io.NpyFile.read(DIR.resolve(file)).castTo(DataType.FLOAT);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config of the golden VAE, from the diffusers config.json of the fixture. */
    static VaeConfig config() {
        return VaeConfig.fromDiffusersConfig(DIR.resolve("diffusers/config.json"));
    }

    static JsonNode fileEntry(String file) {
        for (JsonNode f : manifest().get("files")) {
            if (f.get("file").asText().equals(file)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no manifest entry for " + file);
    }

    /** |actual - expected| <= atol + rtol * |expected| elementwise, with the manifest's tolerance for {@code file}. */
    static void assertMatches(INDArray actual, String file) {
        JsonNode tol = fileEntry(file).get("tolerance");
        assertClose(actual, npy(file), tol.get("atol").asDouble(), tol.get("rtol").asDouble(), file);
    }

    static void assertClose(INDArray actual, INDArray expected, double atol, double rtol, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray excess = Transforms.abs(a.sub(e)).subi(Transforms.abs(e).muli(rtol).addi(atol));
        double worst = excess.maxNumber().doubleValue();
        double maxAbs = Transforms.abs(a.sub(e)).maxNumber().doubleValue();
        assertThat(worst).as(what + ": max |a-e| = " + maxAbs + " exceeds atol " + atol + " + rtol " + rtol
                + " * |e| (shape " + Arrays.toString(expected.shape()) + ")").isLessThanOrEqualTo(0.0);
        assertThat(Double.isFinite(maxAbs)).as(what + " finite").isTrue();
    }
}
