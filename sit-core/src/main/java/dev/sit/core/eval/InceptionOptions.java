package dev.sit.core.eval;

import dev.sit.api.CheckedOptions;
import dev.sit.api.Doc;
import dev.sit.api.Range;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Options of the {@code inception} feature extractor (YAML keys {@code weights}, {@code preprocess}, {@code batch}). */
public record InceptionOptions(
        @Doc("path of pt_inception-2015-12-05-6726825d.pth (download: "
                + InceptionWeightsNotFoundException.DOWNLOAD_URL + ")")
        String weights,
        @Doc("adm (TF1 resize, (x-128)/128: the SiT/ADM numbers) or pytorch-fid (x/255, torch resize, 2x-1)")
        String preprocess,
        @Doc("images per forward pass (memory: about 1 GB + 75 MB per image)")
        @Range(min = 1, max = 4096) Integer batch) implements CheckedOptions {

    public InceptionOptions {
        if (preprocess == null) {
            preprocess = Preprocessing.ADM.id();
        }
        if (batch == null) {
            batch = 16;
        }
    }

    @Override
    public List<String> problems(Map<String, String> env) {
        if (Preprocessing.byId(preprocess).isEmpty()) {
            return List.of("preprocess '" + preprocess + "' is not one of " + Preprocessing.choices());
        }
        if (weights == null || !Files.isRegularFile(Path.of(weights))) {
            return List.of(InceptionWeightsNotFoundException.at(weights == null ? null : Path.of(weights),
                    "the extractor option weights:").getMessage());
        }
        return List.of();
    }
}
