package dev.sit.plugins.interpolants;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import dev.sit.api.transport.Interpolant;
import dev.sit.api.transport.LossWeight;
import dev.sit.api.transport.PredictionTarget;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds plugins the way the host does: through ServiceLoader, by extension point and name, with default options. */
final class BundledPlugins {

    private BundledPlugins() {
    }

    /** This module's factories, found through ServiceLoader (other modules' plugins on the test class path are skipped). */
    static List<PluginFactory<?, ?>> all() {
        List<PluginFactory<?, ?>> result = new ArrayList<>();
        for (SitPlugin plugin : ServiceLoader.load(SitPlugin.class)) {
            if (plugin instanceof InterpolantsPlugin) {
                result.addAll(plugin.factories());
            }
        }
        return result;
    }

    /** The kit's reference paths plus the bundled Linear, GVP and VP: what target and weight contracts run on. */
    static List<Interpolant> contractPaths() {
        List<Interpolant> paths = new ArrayList<>(dev.sit.api.testkit.ReferencePaths.all());
        paths.add(path("Linear"));
        paths.add(path("GVP"));
        paths.add(path("VP"));
        return paths;
    }

    static Interpolant path(String name) {
        return create(ExtensionPoint.INTERPOLANT, name);
    }

    static PredictionTarget target(String name) {
        return create(ExtensionPoint.PREDICTION_TARGET, name);
    }

    static LossWeight weight(String name) {
        return create(ExtensionPoint.LOSS_WEIGHT, name);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> T create(ExtensionPoint<T> point, String name) {
        List<String> known = new ArrayList<>();
        for (PluginFactory<?, ?> f : all()) {
            if (f.extensionPoint() != point) {
                continue;
            }
            known.add(f.name());
            if (f.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                PluginFactory raw = f;
                return point.type().cast(raw.create(defaultOptions(f.optionsType())));
            }
        }
        throw new IllegalArgumentException("no " + point + " named '" + name + "'; known: " + known);
    }

    /** The options record with every component null (each plugin defaults nulls in its compact constructor). */
    static Record defaultOptions(Class<? extends Record> type) {
        try {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            Constructor<? extends Record> c = type.getDeclaredConstructor(types);
            return c.newInstance(new Object[components.length]);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make default options " + type.getName(), e);
        }
    }
}
