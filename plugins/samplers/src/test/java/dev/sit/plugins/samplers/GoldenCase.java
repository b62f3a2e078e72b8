package dev.sit.plugins.samplers;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A golden fixture folder copied from the reference implementation (src/test/resources/golden/<case>). */
final class GoldenCase {

    /** Elementwise {@code |a - e| <= atol + rtol |e|}; non-finite expected needs non-finite actual. */
    record Tolerance(double rtol, double atol) {
    }

    private final String name;
    private final JsonNode manifest;

    private GoldenCase(String name, JsonNode manifest) {
        this.name = name;
        this.manifest = manifest;
    }

    static GoldenCase load(String name) {
        try {
            return new GoldenCase(name, new ObjectMapper().readTree(file(name, "manifest.json")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read golden/" + name + "/manifest.json", e);
        }
    }

    JsonNode manifest() {
        return manifest;
    }

    /** An .npy of the case as stored (float32 or float64). */
    INDArray array(String file) {
        return Nd4j.createFromNpyFile(file(name, file));
    }

    /** An .npy as float32. */
    INDArray floats(String file) {
        return array(file).castTo(DataType.FLOAT);
    }

    /** The float64 values of a 1-D .npy (e.g. a time grid). */
    double[] doubles(String file) {
        return array(file).castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
    }

    /** The tolerance the manifest gives for an expected file. */
    Tolerance tolerance(String file) {
        for (JsonNode f : manifest.get("files")) {
            if (f.get("file").asText().equals(file)) {
                JsonNode tol = f.get("tolerance");
                return new Tolerance(tol.get("rtol").asDouble(), tol.get("atol").asDouble());
            }
        }
        throw new IllegalArgumentException("golden/" + name + ": no file entry " + file + " in the manifest");
    }

    /** Compares {@code actual} with the expected file under its manifest tolerance. */
    void assertMatches(INDArray actual, String expectedFile, String what) {
        assertClose(actual, array(expectedFile), tolerance(expectedFile), what + " vs " + name + "/" + expectedFile);
    }

    static void assertClose(INDArray actual, INDArray expected, Tolerance tol, String what) {
        if (!java.util.Arrays.equals(actual.shape(), expected.shape())) {
            fail(what + ": shape " + java.util.Arrays.toString(actual.shape()) + " but expected "
                    + java.util.Arrays.toString(expected.shape()));
        }
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').reshape(-1).toDoubleVector();
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').reshape(-1).toDoubleVector();
        int bad = 0;
        int firstBad = -1;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            boolean ok;
            if (!Double.isFinite(e[i])) {
                ok = !Double.isFinite(a[i]);
            } else {
                double excess = Math.abs(a[i] - e[i]) - (tol.atol() + tol.rtol() * Math.abs(e[i]));
                ok = Double.isFinite(a[i]) && excess <= 0;
                worst = Math.max(worst, Math.abs(a[i] - e[i]));
            }
            if (!ok) {
                if (firstBad < 0) {
                    firstBad = i;
                }
                bad++;
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + e.length + " elements outside rtol " + tol.rtol() + " / atol " + tol.atol()
                    + "; first at flat index " + firstBad + ": actual " + a[firstBad] + ", expected " + e[firstBad]
                    + " (largest finite abs deviation " + worst + ")");
        }
    }

    private static File file(String name, String file) {
        URL url = GoldenCase.class.getResource("/golden/" + name + "/" + file);
        if (url == null) {
            throw new IllegalArgumentException("missing test resource golden/" + name + "/" + file);
        }
        try {
            return new File(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
