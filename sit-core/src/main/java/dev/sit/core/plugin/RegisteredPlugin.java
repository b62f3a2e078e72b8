package dev.sit.core.plugin;

import dev.sit.api.PluginFactory;

/** A factory found by discovery, with the origin (jar) of the plugin that contributed it. */
public record RegisteredPlugin<T>(PluginFactory<T, ?> factory, PluginOrigin origin, String pluginClass) {

    public String name() {
        return factory.name();
    }
}
