package dev.sit.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates the golden fixtures copied into this module's test resources. */
final class IoTestFiles {

    private IoTestFiles() {
    }

    static Path golden(String relative) {
        return resource("golden/" + relative);
    }

    static Path resource(String relative) {
        try {
            var url = IoTestFiles.class.getResource("/" + relative);
            if (url == null) {
                throw new IllegalStateException("missing test resource " + relative);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode manifest(String golderCase) throws IOException {
        return new ObjectMapper().readTree(golden(golderCase + "/manifest.json").toFile());
    }

    static long[] longs(JsonNode array) {
        long[] r = new long[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asLong();
        }
        return r;
    }
}
