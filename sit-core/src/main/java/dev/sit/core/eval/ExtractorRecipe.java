package dev.sit.core.eval;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.eval.FeatureExtractor;
import dev.sit.core.plugin.PluginPath;
import dev.sit.core.plugin.PluginRegistry;
import dev.sit.core.plugin.RegisteredPlugin;
import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which feature extractor, as a recipe any process can follow to make it: {@code inception} with its weights file,
 * preprocessing and batch, or another {@code feature-extractor} plugin with its default options (found on the class
 * path, the plugin jars named here and {@code SIT_PLUGIN_PATH}). What {@code sit eval} makes its extractor from, in
 * its own process and on a cluster's executors.
 *
 * @param inceptionWeights path of pytorch-fid's weights (inception only; absolute for a cluster)
 * @param plugins          plugin jars (absolute paths)
 */
public record ExtractorRecipe(String name, String inceptionWeights, String preprocess, int batch, List<String> plugins)
        implements Serializable {

    public ExtractorRecipe {
        plugins = List.copyOf(plugins);
    }

    public boolean isInception() {
        return name.toLowerCase(Locale.ROOT).equals("inception");
    }

    /**
     * Makes the extractor; {@code weightsFlag} names where the Inception weights came from in messages.
     *
     * @throws InceptionWeightsNotFoundException saying where to download them, when they are missing
     */
    public FeatureExtractor create(String weightsFlag) {
        if (isInception()) {
            if (inceptionWeights == null) {
                throw InceptionWeightsNotFoundException.at(null, weightsFlag);
            }
            return InceptionExtractor.create(new InceptionOptions(inceptionWeights, preprocess, batch), weightsFlag);
        }
        PluginRegistry registry = PluginRegistry.discover(PluginPath.combine(plugins.stream().map(Path::of).toList(),
                System.getenv(PluginPath.ENVIRONMENT_VARIABLE), List.of()));
        RegisteredPlugin<FeatureExtractor> p = registry.find(ExtensionPoint.FEATURE_EXTRACTOR, name);
        return registry.create(ExtensionPoint.FEATURE_EXTRACTOR, p.name(), defaults(p.factory().optionsType()));
    }

    /** The options record with every key at its default (the records fill in nulls). */
    private static Record defaults(Class<? extends Record> type) {
        try {
            RecordComponent[] c = type.getRecordComponents();
            Class<?>[] types = new Class<?>[c.length];
            for (int i = 0; i < c.length; i++) {
                types[i] = c[i].getType();
            }
            return type.getDeclaredConstructor(types).newInstance(new Object[c.length]);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make default options " + type.getSimpleName(), e);
        }
    }
}
