package dev.sit.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** The pre-1.6 {@code torch.save} format: a sequence of pickles followed by the raw storages. */
final class LegacyTorchFormat {

    private LegacyTorchFormat() {
    }

    static Object read(Path file) throws IOException {
        throw CheckpointFormatException.in(file, "legacy (torch < 1.6, non-zip) checkpoints are not supported:"
                + " re-save it with torch >= 1.6: torch.save(torch.load(f, map_location='cpu'), g)");
    }
}
