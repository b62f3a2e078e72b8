package dev.sit.example;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.util.List;

/** The plugin's entry point, registered in META-INF/services/dev.sit.api.SitPlugin. */
public final class CosinePlugin implements SitPlugin {

    @Override
    public List<PluginFactory<?, ?>> factories() {
        return List.of(PluginFactory.of(ExtensionPoint.INTERPOLANT, "Cosine",
                "cosine-eased path: alpha = (1 - cos(pi t))/2, sigma = (1 + cos(pi t))/2", CosineInterpolant::new));
    }
}
