package dev.sit.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Names;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.ResolvedExperiment;
import dev.sit.core.plugin.PluginRegistry;
import dev.sit.core.plugin.RegisteredPlugin;

/**
 * The composition root's bindings for one resolved experiment: the experiment itself, the
 * plugin registry, and per extension point a map from plugin name to factory, annotated
 * {@code @Named("<extension point id>")} (e.g. {@code @Named("interpolant") Map<String,
 * PluginFactory<?, ?>>}). The SPI stays free of Guice: plugins are plain factories.
 */
public final class ExperimentModule extends AbstractModule {

    /** The type of the per-extension-point maps. */
    public static final TypeLiteral<PluginFactory<?, ?>> FACTORY = new TypeLiteral<>() {
    };

    private final ResolvedExperiment resolved;

    public ExperimentModule(ResolvedExperiment resolved) {
        this.resolved = resolved;
    }

    /** The key of the name-to-factory map of one extension point. */
    public static Key<java.util.Map<String, PluginFactory<?, ?>>> factoriesKey(ExtensionPoint<?> point) {
        return Key.get(new TypeLiteral<java.util.Map<String, PluginFactory<?, ?>>>() {
        }, Names.named(point.id()));
    }

    @Override
    protected void configure() {
        bind(ResolvedExperiment.class).toInstance(resolved);
        bind(Experiment.class).toInstance(resolved.experiment());
        bind(PluginRegistry.class).toInstance(resolved.registry());
        for (ExtensionPoint<?> point : ExtensionPoint.all()) {
            MapBinder<String, PluginFactory<?, ?>> byName =
                    MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), FACTORY, Names.named(point.id()));
            for (RegisteredPlugin<?> plugin : resolved.registry().plugins(point)) {
                byName.addBinding(plugin.name()).toInstance(plugin.factory());
            }
        }
    }
}
