package dev.sit.core.data;

import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code fashion-mnist} dataset source: Zalando's Fashion-MNIST IDX files (as shipped by
 * Debian's {@code dataset-fashion-mnist} in {@code /usr/share/datasets/fashion-mnist}), gray
 * 28x28 brought to the run's image size (default 32) by padding or resizing, one channel in
 * [-1, 1], ten classes.
 */
public final class FashionMnistSource implements DatasetSource {

    public static final int DEFAULT_IMAGE_SIZE = 32;

    static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final FashionMnistOptions options;

    public FashionMnistSource(FashionMnistOptions options) {
        this.options = options;
    }

    @Override
    public Dataset open(DatasetContext context) throws IOException {
        Path base = context == null || context.baseDir() == null ? Path.of("") : context.baseDir();
        Path folder = base.resolve(options.folder());
        String prefix = options.split().equals("train") ? "train" : "t10k";
        Path images = find(folder, prefix + "-images-idx3-ubyte");
        Path labels = find(folder, prefix + "-labels-idx1-ubyte");
        IdxFile x = IdxFile.read(images);
        IdxFile y = IdxFile.read(labels);
        if (x.dims().length != 3 || y.dims().length != 1 || x.dims()[0] != y.dims()[0]) {
            throw new IOException("fashion-mnist: " + images + " has dims " + java.util.Arrays.toString(x.dims())
                    + " and " + labels + " has " + java.util.Arrays.toString(y.dims())
                    + "; expected (N, 28, 28) images and N labels");
        }
        for (byte label : y.data()) {
            if ((label & 0xFF) >= CLASS_NAMES.size()) {
                throw new IOException("fashion-mnist: " + labels + " holds label " + (label & 0xFF) + ", expected 0..9");
            }
        }
        int size = context != null && context.imageSize() > 0 ? context.imageSize() : DEFAULT_IMAGE_SIZE;
        return new GrayImageDataset(x.data(), y.data(), x.dims()[1], x.dims()[2], size,
                options.fit().equals("pad") ? GrayImageDataset.Fit.PAD : GrayImageDataset.Fit.RESIZE, CLASS_NAMES);
    }

    private static Path find(Path folder, String name) throws IOException {
        for (String candidate : List.of(name + ".gz", name)) {
            Path p = folder.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(folder.resolve(name + ".gz").toString(), null,
                "fashion-mnist file missing: neither " + name + ".gz nor " + name + " is in " + folder
                        + ". Install the Debian package (apt-get install dataset-fashion-mnist) or set data.source.options.folder"
                        + " to a folder holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                        + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzipped or not)");
    }
}
