package dev.sit.plugins.samplers;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.NoOptions;
import dev.sit.api.PluginFactory;
import java.util.Locale;

/** Looks plugins up by name in {@link SamplersPlugin}, as the host does (case-insensitive, aliases too). */
final class BundledPlugins {

    private BundledPlugins() {
    }

    @SuppressWarnings("unchecked")
    static <T> PluginFactory<T, Record> factory(ExtensionPoint<T> point, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (PluginFactory<?, ?> f : new SamplersPlugin().factories()) {
            if (f.extensionPoint() != point) {
                continue;
            }
            boolean match = f.name().toLowerCase(Locale.ROOT).equals(wanted)
                    || f.aliases().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(wanted));
            if (match) {
                return (PluginFactory<T, Record>) f;
            }
        }
        throw new IllegalArgumentException("no " + point + " named " + name);
    }

    /** Creates a plugin with default options (or the given options record). */
    static <T> T create(ExtensionPoint<T> point, String name, Record options) {
        PluginFactory<T, Record> f = factory(point, name);
        if (options == null) {
            options = (Class<?>) f.optionsType() == AdaptiveSolverOptions.class ? new AdaptiveSolverOptions() : new NoOptions();
        }
        return f.create(options);
    }

    static <T> T create(ExtensionPoint<T> point, String name) {
        return create(point, name, null);
    }
}
