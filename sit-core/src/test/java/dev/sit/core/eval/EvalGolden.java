package dev.sit.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The eval-metrics golden case (copied from shared/golden/eval-metrics; inception.pth re-zipped
 * with deflate, same entries, to keep the repository small) and the scipy Fréchet cases.
 */
final class EvalGolden {

    static final String CASE = "eval-metrics";

    private EvalGolden() {
    }

    static Path path(String caseName, String file) {
        URL url = EvalGolden.class.getResource("/golden/" + caseName + "/" + file);
        if (url == null) {
            throw new IllegalStateException("missing test fixture golden/" + caseName + "/" + file);
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path path(String file) {
        return path(CASE, file);
    }

    static INDArray npy(String caseName, String file) {
        return Nd4j.createFromNpyFile(path(caseName, file).toFile());
    }

    static INDArray npy(String file) {
        return npy(CASE, file);
    }

    static JsonNode json(String caseName, String file) {
        try {
            return new ObjectMapper().readTree(path(caseName, file).toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode manifest() {
        return json(CASE, "manifest.json");
    }

    static double metric(String name) {
        return manifest().get("metrics").get(name).asDouble();
    }

    static JsonNode metricTolerance(String name) {
        return manifest().get("metric_tolerance").get(name);
    }

    /** {rtol, atol} of a file in the manifest. */
    static double[] tolerance(String file) {
        for (JsonNode f : manifest().get("files")) {
            if (f.get("file").asText().equals(file)) {
                JsonNode t = f.get("tolerance");
                return new double[] {t.get("rtol").asDouble(), t.get("atol").asDouble()};
            }
        }
        throw new IllegalStateException("no manifest entry for " + file);
    }

    /** |actual - expected| <= atol + rtol |expected| element-wise. */
    static void assertClose(INDArray actual, INDArray expected, double rtol, double atol, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray diff = Transforms.abs(a.sub(e));
        double worst = diff.sub(Transforms.abs(e).muli(rtol).addi(atol)).maxNumber().doubleValue();
        assertThat(worst).as(what + ": max |a-e| = " + diff.maxNumber() + " exceeds atol " + atol + " + rtol " + rtol
                + " |e| (shape " + Arrays.toString(expected.shape()) + ")").isLessThanOrEqualTo(0.0);
    }

    static void assertMatches(INDArray actual, String file) {
        double[] tol = tolerance(file);
        assertClose(actual, npy(file), tol[0], tol[1], CASE + "/" + file);
    }
}
