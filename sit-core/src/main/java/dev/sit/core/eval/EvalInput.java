package dev.sit.core.eval;

import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.io.NpyFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One side of an evaluation, recognised from the file: a folder of images, an {@code .npy} of
 * images, or an {@code .npz} that is an ADM reference batch (members {@code mu}, {@code sigma},
 * optionally {@code mu_s}, {@code sigma_s}, and {@code arr_0}), a {@code sit} feature file
 * (member {@code pool_3}), or an image archive ({@code arr_0}).
 */
public record EvalInput(Path path, Kind kind) {

    public enum Kind { IMAGES, FEATURES, REFERENCE_BATCH }

    /** Recognises what {@code path} holds; {@code flag} names the option in messages. */
    public static EvalInput detect(Path path, String flag) throws IOException {
        if (Files.isDirectory(path)) {
            return new EvalInput(path, Kind.IMAGES);
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, flag + ": no such file or folder");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return new EvalInput(path, Kind.IMAGES);
        }
        if (!name.endsWith(".npz")) {
            throw new IllegalArgumentException(flag + " " + path + ": expected an image folder, an .npy/.npz of uint8"
                    + " NHWC images, a feature .npz (pool_3[, spatial, softmax]) or an ADM reference batch .npz");
        }
        Set<String> members = members(path);
        if (members.contains("mu") && members.contains("sigma")) {
            return new EvalInput(path, Kind.REFERENCE_BATCH);
        }
        if (members.contains(FeatureExtractor.POOL)) {
            return new EvalInput(path, Kind.FEATURES);
        }
        if (members.contains("arr_0")) {
            return new EvalInput(path, Kind.IMAGES);
        }
        throw new IllegalArgumentException(flag + " " + path + " has members " + members + ": an image archive needs"
                + " arr_0, a feature file pool_3, an ADM reference batch mu and sigma");
    }

    /** Whether this input needs a feature extractor for its {@code pool_3} features. */
    public boolean needsExtractor() {
        return kind == Kind.IMAGES;
    }

    /**
     * The features: read from a feature file; computed from images; for a reference batch its
     * stored statistics plus, when an extractor is at hand, the {@code pool_3} features of its
     * images for precision/recall (cached next to the file when {@code settings.cacheReference()}).
     */
    public FeatureSet load(Supplier<FeatureExtractor> extractor, EvalSettings settings, PrintStream progress)
            throws IOException {
        switch (kind) {
            case FEATURES -> {
                Map<String, INDArray> layers = FeatureFile.read(path);
                return new FeatureSet(path.toString(), layers.get(FeatureExtractor.POOL).size(0), layers,
                        Optional.empty(), Optional.empty());
            }
            case IMAGES -> {
                Map<String, INDArray> layers = extract(extractor.get(), settings, progress);
                return new FeatureSet(path.toString(), layers.get(FeatureExtractor.POOL).size(0), layers,
                        Optional.empty(), Optional.empty());
            }
            default -> {
                Map<String, INDArray> stored = readMembers(Set.of("mu", "sigma", "mu_s", "sigma_s"));
                Optional<FeatureStatistics> pool = Optional.of(new FeatureStatistics(
                        stored.get("mu").reshape(stored.get("mu").length()), stored.get("sigma")));
                Optional<FeatureStatistics> spatial = stored.containsKey("mu_s") && stored.containsKey("sigma_s")
                        ? Optional.of(new FeatureStatistics(stored.get("mu_s").reshape(stored.get("mu_s").length()),
                                stored.get("sigma_s")))
                        : Optional.empty();
                Map<String, INDArray> layers = new LinkedHashMap<>();
                long count = 0;
                FeatureExtractor ex = extractor.get();
                if (ex != null && members(path).contains("arr_0")) {
                    layers.putAll(extract(ex, settings, progress));
                    count = layers.get(FeatureExtractor.POOL).size(0);
                    // the statistics are those stored; only pool_3 is needed, for precision/recall
                    layers.keySet().retainAll(Set.of(FeatureExtractor.POOL));
                }
                return new FeatureSet(path.toString(), count, layers, pool, spatial);
            }
        }
    }

    private Map<String, INDArray> extract(FeatureExtractor ex, EvalSettings settings, PrintStream progress)
            throws IOException {
        if (ex == null) {
            throw new IllegalArgumentException(path + " holds images: their features need a feature extractor"
                    + " (for Inception: --inception pt_inception-2015-12-05-6726825d.pth)");
        }
        Path cache = ReferenceFeatureCache.path(path, ex);
        if (settings.cacheReference() && cache != null && Files.isRegularFile(cache)) {
            return FeatureFile.read(cache);
        }
        Map<String, INDArray> layers;
        try (ImageSource images = ImageSource.open(path)) {
            layers = FeatureExtraction.run(ex, images, settings.batch(), progress);
        }
        if (settings.cacheReference() && cache != null) {
            ReferenceFeatureCache.store(cache, layers, progress);
        }
        return layers;
    }

    private Map<String, INDArray> readMembers(Set<String> wanted) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (String name : wanted) {
                ZipEntry e = zip.getEntry(name + ".npy");
                if (e != null) {
                    try (var in = zip.getInputStream(e)) {
                        out.put(name, NpyFile.decode(in.readAllBytes(), path + "!" + e.getName()));
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> members(Path npz) throws IOException {
        Set<String> names = new TreeSet<>();
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            zip.stream().map(ZipEntry::getName).map(n -> n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n)
                    .forEach(names::add);
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(npz + " is not a readable .npz (zip) archive: " + e.getMessage());
        }
        return names;
    }
}
