package dev.sit.core.plugin;

import dev.sit.api.ExtensionPoint;
import dev.sit.api.PluginFactory;
import dev.sit.api.SitPlugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Every plugin factory found on the application class path and in the plugin path, by extension
 * point and case-insensitive name. Each plugin jar (or exploded folder, or folder of jars) gets
 * its own class loader whose parent is the host's, so plugins see the host's {@code sit-api}.
 */
public final class PluginRegistry {

    private static final String SERVICE_FILE = "META-INF/services/" + SitPlugin.class.getName();

    /** Per extension point: lower-case name or alias to plugin. */
    private final Map<ExtensionPoint<?>, Map<String, RegisteredPlugin<?>>> byName = new LinkedHashMap<>();

    private PluginRegistry() {
        for (ExtensionPoint<?> point : ExtensionPoint.all()) {
            byName.put(point, new LinkedHashMap<>());
        }
    }

    /** The plugins on the application class path and in every entry of {@code pluginPath}. */
    public static PluginRegistry discover(List<Path> pluginPath) {
        PluginRegistry registry = new PluginRegistry();
        ClassLoader host = PluginRegistry.class.getClassLoader();
        registry.addFrom(host, PluginOrigin.CLASS_PATH);
        for (Path entry : pluginPath) {
            for (PluginUnit unit : units(entry)) {
                unit.classPath().forEach(PluginRegistry::requireReadableJar);
                registry.addFrom(unit.loader(host), PluginOrigin.of(unit.location()));
            }
        }
        return registry;
    }

    /** A registry of the given plugins, for tests and embedding. */
    public static PluginRegistry of(Map<SitPlugin, PluginOrigin> plugins) {
        PluginRegistry registry = new PluginRegistry();
        plugins.forEach(registry::add);
        return registry;
    }

    private void addFrom(ClassLoader loader, PluginOrigin origin) {
        ServiceLoader<SitPlugin> services = ServiceLoader.load(SitPlugin.class, loader);
        try {
            // only the providers this loader defines: the parent's are registered with their own origin
            List<ServiceLoader.Provider<SitPlugin>> providers = services.stream()
                    .filter(p -> origin.isClassPath() || p.type().getClassLoader() == loader)
                    .toList();
            for (ServiceLoader.Provider<SitPlugin> provider : providers) {
                add(provider.get(), origin);
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new PluginException("plugin " + origin + " failed to load: " + e.getMessage()
                    + (cause != e ? " (cause: " + cause + ")" : "")
                    + "; remove it from the plugin path or rebuild it against this version of sit-api", e);
        }
    }

    private void add(SitPlugin plugin, PluginOrigin origin) {
        List<PluginFactory<?, ?>> factories;
        try {
            factories = plugin.factories();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException("plugin " + plugin.getClass().getName() + " from " + origin
                    + " failed to list its factories: " + e, e);
        }
        for (PluginFactory<?, ?> factory : factories) {
            register(factory, origin, plugin.getClass().getName());
        }
    }

    private <T> void register(PluginFactory<T, ?> factory, PluginOrigin origin, String pluginClass) {
        RegisteredPlugin<T> registered = new RegisteredPlugin<>(factory, origin, pluginClass);
        Map<String, RegisteredPlugin<?>> names = byName.get(factory.extensionPoint());
        List<String> keys = new ArrayList<>();
        keys.add(factory.name());
        keys.addAll(factory.aliases());
        for (String key : keys) {
            RegisteredPlugin<?> existing = names.get(key.toLowerCase(Locale.ROOT));
            if (existing != null && existing.factory() != factory) {
                throw new PluginException("two plugins define the " + factory.extensionPoint().id() + " '" + key
                        + "': " + existing.pluginClass() + " from " + existing.origin() + " and "
                        + pluginClass + " from " + origin + "; remove one of them from the plugin path");
            }
            names.put(key.toLowerCase(Locale.ROOT), registered);
        }
    }

    /** The plugins of one extension point, each once, sorted by name. */
    @SuppressWarnings("unchecked")
    public <T> List<RegisteredPlugin<T>> plugins(ExtensionPoint<T> point) {
        return byName.get(point).values().stream().distinct()
                .map(p -> (RegisteredPlugin<T>) p)
                .sorted(Comparator.comparing(p -> p.name().toLowerCase(Locale.ROOT)))
                .toList();
    }

    /** The canonical names of one extension point's plugins, sorted. */
    public List<String> names(ExtensionPoint<?> point) {
        return plugins(point).stream().map(RegisteredPlugin::name).toList();
    }

    /** The plugin answering to {@code name} (ignoring case), or an error listing the available names. */
    @SuppressWarnings("unchecked")
    public <T> RegisteredPlugin<T> find(ExtensionPoint<T> point, String name) {
        RegisteredPlugin<?> found = name == null ? null : byName.get(point).get(name.toLowerCase(Locale.ROOT));
        if (found == null) {
            List<String> available = names(point);
            List<String> allKeys = new ArrayList<>(available);
            plugins(point).forEach(p -> allKeys.addAll(p.factory().aliases()));
            throw new UnknownPluginException(point, String.valueOf(name), available,
                    ClosestName.of(String.valueOf(name), allKeys).map(n -> find(point, n).name()));
        }
        return (RegisteredPlugin<T>) found;
    }

    /** Makes a plugin object from already bound options (see {@code OptionsBinder}). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> T create(ExtensionPoint<T> point, String name, Record options) {
        PluginFactory factory = find(point, name).factory();
        if (!factory.optionsType().isInstance(options)) {
            throw new IllegalArgumentException("options of " + point.id() + " '" + name + "' must be "
                    + factory.optionsType().getName() + ", got " + options.getClass().getName());
        }
        return (T) factory.create(options);
    }

    /** One class loader's worth of plugin code: a jar, an exploded folder, or a folder of jars. */
    private record PluginUnit(Path location, List<Path> classPath) {
        ClassLoader loader(ClassLoader parent) {
            URL[] urls = classPath.stream().map(PluginUnit::url).toArray(URL[]::new);
            return new URLClassLoader("sit-plugin:" + location.getFileName(), urls, parent);
        }

        private static URL url(Path p) {
            try {
                return p.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new PluginException("plugin path entry " + p + " is not a valid location: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The units of one plugin path entry: a jar is one unit; a folder with the service file is
     * one exploded unit; otherwise each jar in the folder is a unit, and each sub-folder is one
     * unit (exploded, or its jars together: a plugin with its own dependencies).
     */
    private static List<PluginUnit> units(Path entry) {
        if (!Files.exists(entry)) {
            throw new PluginException("plugin path entry " + entry + " does not exist; check --plugins, SIT_PLUGIN_PATH or the experiment's plugins:");
        }
        if (Files.isRegularFile(entry)) {
            if (!entry.toString().endsWith(".jar")) {
                throw new PluginException("plugin path entry " + entry + " is neither a .jar nor a folder");
            }
            return List.of(new PluginUnit(entry, List.of(entry)));
        }
        if (Files.exists(entry.resolve(SERVICE_FILE))) {
            return List.of(new PluginUnit(entry, List.of(entry)));
        }
        List<PluginUnit> units = new ArrayList<>();
        for (Path child : list(entry)) {
            if (Files.isRegularFile(child) && child.toString().endsWith(".jar")) {
                units.add(new PluginUnit(child, List.of(child)));
            } else if (Files.isDirectory(child)) {
                if (Files.exists(child.resolve(SERVICE_FILE))) {
                    units.add(new PluginUnit(child, List.of(child)));
                } else {
                    List<Path> jars = list(child).stream().filter(p -> p.toString().endsWith(".jar")).toList();
                    if (!jars.isEmpty()) {
                        units.add(new PluginUnit(child, jars));
                    }
                }
            }
        }
        return units;
    }

    /**
     * Opens a jar's zip directory: a class loader silently skips a jar that is not a zip (a
     * truncated download, a wrong file renamed .jar), so its plugins would just be missing.
     */
    private static void requireReadableJar(Path jar) {
        if (Files.isDirectory(jar)) {
            return;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.size() == 0) {
                throw new PluginException("plugin jar " + jar + " is empty (a zip archive with no entries); rebuild"
                        + " it, or remove it from --plugins, SIT_PLUGIN_PATH or the experiment's plugins:");
            }
        } catch (IOException e) {
            throw new PluginException("plugin jar " + jar + " failed to load: it is not a readable jar (zip) file"
                    + " (truncated, corrupt, or another kind of file named .jar); rebuild or re-download it, or"
                    + " remove it from --plugins, SIT_PLUGIN_PATH or the experiment's plugins:", e);
        }
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().toList();
        } catch (IOException e) {
            throw new PluginException("cannot read plugin folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
