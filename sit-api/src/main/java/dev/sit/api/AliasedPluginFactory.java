package dev.sit.api;

import java.util.ArrayList;
import java.util.List;

/** A factory that also answers to extra names; see {@link PluginFactory#withAliases}. */
record AliasedPluginFactory<T, O extends Record>(PluginFactory<T, O> delegate, List<String> extraAliases)
        implements PluginFactory<T, O> {

    @Override
    public ExtensionPoint<T> extensionPoint() {
        return delegate.extensionPoint();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<String> aliases() {
        List<String> all = new ArrayList<>(delegate.aliases());
        all.addAll(extraAliases);
        return List.copyOf(all);
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public Class<O> optionsType() {
        return delegate.optionsType();
    }

    @Override
    public T create(O options) {
        return delegate.create(options);
    }

    @Override
    public T create(O options, PluginContext context) {
        return delegate.create(options, context);
    }

    @Override
    public List<String> check(O options, PluginContext context) {
        return delegate.check(options, context);
    }
}
