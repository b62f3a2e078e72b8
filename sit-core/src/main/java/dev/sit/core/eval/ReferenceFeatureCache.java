package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Features of an image file kept next to it, so that a reference set (ADM's 10k reference
 * images, a training set's sample) is encoded once: {@code <file>.<extractor fingerprint>.<first 12
 * hex digits of the file's SHA-256>.features.npz}. A changed file or extractor gives a new name.
 */
final class ReferenceFeatureCache {

    private ReferenceFeatureCache() {
    }

    /** The cache file for {@code source} and this extractor; null for folders (no single checksum). */
    static Path path(Path source, FeatureExtractor extractor) {
        if (!Files.isRegularFile(source)) {
            return null;
        }
        String digest = InceptionExtractor.fileDigest(source);
        return source.resolveSibling(source.getFileName() + "." + extractor.fingerprint() + "." + digest
                + ".features.npz");
    }

    static void store(Path cache, Map<String, INDArray> layers, PrintStream progress) {
        try {
            FeatureFile.write(cache, layers);
        } catch (IOException e) {
            if (progress != null) {
                progress.println("note: could not cache the features at " + cache + " (" + e.getMessage()
                        + "); they will be computed again next time");
            }
        }
    }
}
