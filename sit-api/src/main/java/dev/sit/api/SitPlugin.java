package dev.sit.api;

import java.util.List;

/**
 * The one entry point of a plugin jar, registered in
 * {@code META-INF/services/dev.sit.api.SitPlugin}. It lists the factories the jar adds, for
 * any extension points. An implementation needs a public no-argument constructor.
 */
public interface SitPlugin {

    /** The factories this plugin contributes; names must be unique within each extension point. */
    List<PluginFactory<?, ?>> factories();
}
