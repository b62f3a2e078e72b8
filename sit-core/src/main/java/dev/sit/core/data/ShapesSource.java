package dev.sit.core.data;

import dev.sit.api.data.Dataset;
import dev.sit.api.data.DatasetContext;
import dev.sit.api.data.DatasetSource;

/** The {@code shapes} dataset source: synthetic, needs no files. */
public final class ShapesSource implements DatasetSource {

    public static final int DEFAULT_IMAGE_SIZE = 32;

    private final ShapesOptions options;

    public ShapesSource(ShapesOptions options) {
        this.options = options;
    }

    @Override
    public Dataset open(DatasetContext context) {
        int runSize = context == null ? 0 : context.imageSize();
        Integer wanted = options.imageSize();
        if (wanted != null && runSize > 0 && wanted != runSize) {
            throw new IllegalArgumentException("data.options.image_size is " + wanted + " but the run's image size is "
                    + runSize + ": remove image_size from the shapes options or make them equal");
        }
        int size = wanted != null ? wanted : runSize > 0 ? runSize : DEFAULT_IMAGE_SIZE;
        return new ShapesDataset(options.size(), size, options.seed());
    }
}
