package dev.sit.plugins.interpolants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A golden case copied into src/test/resources/golden/&lt;case&gt;/: its manifest and files. */
final class GoldenCase {

    private final String name;
    private final JsonNode manifest;

    private GoldenCase(String name, JsonNode manifest) {
        this.name = name;
        this.manifest = manifest;
    }

    static GoldenCase load(String name) {
        try (InputStream in = open(name, "manifest.json")) {
            return new GoldenCase(name, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name, String file) throws IOException {
        InputStream in = GoldenCase.class.getResourceAsStream("/golden/" + name + "/" + file);
        if (in == null) {
            throw new IOException("golden file missing from the test resources: golden/" + name + "/" + file);
        }
        return in;
    }

    JsonNode manifest() {
        return manifest;
    }

    NpyArray array(String file) {
        try (InputStream in = open(name, file)) {
            return NpyArray.read(in, name + "/" + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tolerance the manifest gives a file. */
    Tolerance tolerance(String file) {
        for (JsonNode f : manifest.get("files")) {
            if (f.get("file").asText().equals(file)) {
                JsonNode tol = f.get("tolerance");
                if (tol == null) {
                    throw new IllegalArgumentException(name + "/" + file + " has no tolerance in its manifest");
                }
                return new Tolerance(tol.get("rtol").asDouble(), tol.get("atol").asDouble());
            }
        }
        throw new IllegalArgumentException(name + "/manifest.json lists no file " + file);
    }
}
