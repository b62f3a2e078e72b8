package dev.sit.api.data;

import java.io.IOException;

/** Opens a training dataset; what to read comes from the plugin's options. */
public interface DatasetSource {

    Dataset open(DatasetContext context) throws IOException;
}
