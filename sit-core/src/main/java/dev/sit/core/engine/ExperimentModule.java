package dev.sit.core.engine;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Names;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.sit.api.logging.MetricsLogger;
import dev.sit.core.config.Experiment;
import dev.sit.core.config.TransportSection;
import dev.sit.core.model.SitConfig;
import dev.sit.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
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
    private final RunListener listener;

    public ExperimentModule(ResolvedExperiment resolved, RunListener listener) {
        this.resolved = resolved;
        this.listener = listener;
    }

    /** The key of the name-to-factory map of one extension point. */
    public static Key<java.util.Map<String, PluginFactory<?, ?>>> factoriesKey(ExtensionPoint<?> point) {
        return Key.get(new TypeLiteral<java.util.Map<String, PluginFactory<?, ?>>>() {
        }, Names.named(point.id()));
    }

    /** The network settings of the experiment's {@code model:} section. */
    @Provides
    @Singleton
    static SitConfig sitConfig(Experiment experiment) {
        return SitConfig.from(experiment.model());
    }

    /** The transport of the experiment's {@code transport:} section (eps rules of the reference). */
    @Provides
    @Singleton
    static Transport transport(ResolvedExperiment resolved) {
        TransportSection t = resolved.experiment().transport();
        return Transport.create(
                resolved.create("transport.path", ExtensionPoint.INTERPOLANT),
                resolved.create("transport.prediction", ExtensionPoint.PREDICTION_TARGET),
                resolved.create("transport.loss_weight", ExtensionPoint.LOSS_WEIGHT),
                t.trainEps(), t.sampleEps())
                .withTimeSampling(resolved.create("transport.time_sampler", ExtensionPoint.TIME_SAMPLER),
                        new dev.sit.core.transport.TimeShift(t.timeShift()));
    }

    /** The experiment's loggers, in the order listed. */
    @Provides
    @Singleton
    static List<MetricsLogger> loggers(ResolvedExperiment resolved) {
        List<MetricsLogger> loggers = new ArrayList<>();
        for (int i = 0; i < resolved.experiment().loggers().size(); i++) {
            loggers.add(resolved.create("loggers." + i, ExtensionPoint.METRICS_LOGGER));
        }
        return loggers;
    }

    @Override
    protected void configure() {
        bind(ResolvedExperiment.class).toInstance(resolved);
        bind(RunListener.class).toInstance(listener);
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
