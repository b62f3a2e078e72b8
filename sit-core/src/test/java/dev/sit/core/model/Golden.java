package dev.sit.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Golden fixtures copied from the reference implementation (src/test/resources/golden). */
public final class Golden {

    private Golden() {
    }

    public static Path path(String caseName, String file) {
        URL url = Golden.class.getResource("/golden/" + caseName + "/" + file);
        if (url == null) {
            throw new IllegalStateException("missing test fixture golden/" + caseName + "/" + file);
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static INDArray npy(String caseName, String file) {
        return Nd4j.createFromNpyFile(path(caseName, file).toFile());
    }

    public static JsonNode manifest(String caseName) {
        try {
            return new ObjectMapper().readTree(new File(path(caseName, "manifest.json").toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tolerance the manifest gives a file, as {rtol, atol}. */
    public static double[] tolerance(String caseName, String file) {
        for (JsonNode f : manifest(caseName).get("files")) {
            if (f.get("file").asText().equals(file)) {
                JsonNode t = f.get("tolerance");
                return new double[] {t.get("rtol").asDouble(), t.get("atol").asDouble()};
            }
        }
        throw new IllegalStateException("no manifest entry for " + file);
    }

    /** |actual - expected| <= atol + rtol |expected| elementwise (expected is finite in these cases). */
    public static void assertClose(INDArray actual, INDArray expected, double rtol, double atol, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray excess = Transforms.abs(a.sub(e)).subi(Transforms.abs(e).muli(rtol).addi(atol));
        double worst = excess.maxNumber().doubleValue();
        double maxAbs = Transforms.abs(a.sub(e)).maxNumber().doubleValue();
        assertThat(worst).as(what + ": max |a-e| = " + maxAbs + " exceeds atol " + atol + " + rtol " + rtol
                + " |e| (shape " + Arrays.toString(expected.shape()) + ")").isLessThanOrEqualTo(0.0);
    }

    /** Compares with an expected file using the manifest's tolerance. */
    public static void assertMatches(INDArray actual, String caseName, String file) {
        double[] tol = tolerance(caseName, file);
        assertClose(actual, npy(caseName, file), tol[0], tol[1], caseName + "/" + file);
    }
}
