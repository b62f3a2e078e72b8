package dev.sit.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sit.core.model.Golden;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The eval-metrics golden case (copied from shared/golden/eval-metrics; inception.pth re-zipped
 * with deflate, same entries, to keep the repository small) and the scipy Fréchet cases.
 */
final class EvalGolden {

    static final String CASE = "eval-metrics";

    private EvalGolden() {
    }

    static Path path(String caseName, String file) {
        return Golden.path(caseName, file);
    }

    static Path path(String file) {
        return path(CASE, file);
    }

    static INDArray npy(String caseName, String file) {
        return Golden.npy(caseName, file);
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
        return Golden.tolerance(CASE, file);
    }

    /** |actual - expected| <= atol + rtol |expected| element-wise. */
    static void assertClose(INDArray actual, INDArray expected, double rtol, double atol, String what) {
        Golden.assertClose(actual, expected, rtol, atol, what);
    }

    static void assertMatches(INDArray actual, String file) {
        double[] tol = tolerance(file);
        assertClose(actual, npy(file), tol[0], tol[1], CASE + "/" + file);
    }
}
