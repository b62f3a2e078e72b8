package dev.sit.core.eval;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.List;

/** The bundled feature extractors: {@code inception} (FID Inception-v3) and {@code shapes}. */
public final class FeatureExtractorsPlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(
                PluginFactory.of(ExtensionPoint.FEATURE_EXTRACTOR, "inception",
                        "FID Inception-v3 (pytorch-fid port of TF 2015), needs pt_inception-2015-12-05-6726825d.pth",
                        InceptionOptions.class, o -> InceptionExtractor.create(o, "weights:")),
                PluginFactory.of(ExtensionPoint.FEATURE_EXTRACTOR, "shapes",
                        "colour and shape statistics + nearest-prototype classes for the shapes data, no download",
                        ShapesExtractorOptions.class, ShapesExtractor::new));
    }
}
