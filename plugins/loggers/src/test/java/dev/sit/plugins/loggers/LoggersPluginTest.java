package dev.sit.plugins.loggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sit.api.Doc;
import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LoggersPluginTest {

    @Test
    void registersTheThreeLoggersThroughServiceLoader() {
        List<SitPlugin> plugins = ServiceLoader.load(SitPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(plugins).hasAtLeastOneElementOfType(LoggersPlugin.class);
        List<PluginFactory<?, ?>> factories = new LoggersPlugin().factories();
        assertThat(factories).extracting(PluginFactory::name).containsExactly("console", "metrics-file", "wandb");
        for (PluginFactory<?, ?> f : factories) {
            assertThat(f.extensionPoint()).isSameAs(ExtensionPoint.METRICS_LOGGER);
            assertThat(f.description()).isNotBlank();
            for (RecordComponent c : f.optionsType().getRecordComponents()) {
                assertThat(c.getAnnotation(Doc.class)).as(f.name() + "." + c.getName() + " has @Doc").isNotNull();
            }
        }
    }

    @Test
    void factoriesMakeLoggersFromDefaultOptions() {
        for (PluginFactory<?, ?> f : new LoggersPlugin().factories()) {
            Object logger = create(f);
            assertThat(logger).isInstanceOf(dev.sit.api.logging.MetricsLogger.class);
        }
    }

    private static <T, O extends Record> T create(PluginFactory<T, O> f) {
        try {
            RecordComponent[] cs = f.optionsType().getRecordComponents();
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
            }
            O options = f.optionsType().getDeclaredConstructor(types).newInstance(new Object[cs.length]);
            return f.create(options);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
