package dev.sit.core.config;

import dev.sit.api.ExtensionPoint;
import dev.sit.core.plugin.RegisteredPlugin;

/** A plugin choice of an experiment, resolved: the registered plugin and its bound options. */
public record BoundPlugin<T>(ExtensionPoint<T> point, RegisteredPlugin<T> plugin, Record options) {

    /** A new plugin object made from the options, in the given context. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public T create(dev.sit.api.PluginContext context) {
        return (T) ((dev.sit.api.PluginFactory) plugin.factory()).create(options, context);
    }

    public String name() {
        return plugin.name();
    }
}
