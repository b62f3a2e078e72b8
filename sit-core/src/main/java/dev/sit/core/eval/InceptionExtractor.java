package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code inception} feature extractor: {@link Preprocessing} then {@link FidInception};
 * layers {@code pool_3}, {@code spatial}, {@code logits}, {@code softmax}.
 */
public final class InceptionExtractor implements FeatureExtractor {

    private final FidInception net;
    private final Preprocessing preprocessing;
    private final int batch;
    private final String fingerprint;

    public InceptionExtractor(FidInception net, Preprocessing preprocessing, int batch) {
        this.net = net;
        this.preprocessing = preprocessing;
        this.batch = batch;
        this.fingerprint = "inception-" + preprocessing.id() + "-" + fileDigest(net.source());
    }

    /** Loads the weights file named in the options. */
    public static InceptionExtractor create(InceptionOptions options, String flag) {
        Preprocessing p = Preprocessing.byId(options.preprocess()).orElseThrow(() -> new IllegalArgumentException(
                "preprocess '" + options.preprocess() + "' is not one of " + Preprocessing.choices()));
        try {
            return new InceptionExtractor(FidInception.load(options.weights() == null ? null : Path.of(options.weights()),
                    flag), p, options.batch());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> layers() {
        return List.of(POOL, SPATIAL, LOGITS, SOFTMAX);
    }

    @Override
    public Map<String, INDArray> extract(INDArray images) {
        InceptionFeatures f = net.features(preprocessing.apply(images));
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(POOL, f.pool3());
        out.put(SPATIAL, f.spatial());
        out.put(LOGITS, f.logits());
        out.put(SOFTMAX, f.softmax());
        return out;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public int batchSize() {
        return batch;
    }

    /** First 12 hex digits of the file's SHA-256. */
    static String fileDigest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int r; (r = in.read(buf)) > 0;) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
