package dev.sit.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** A {@link PluginFactory} made of its parts; see {@link PluginFactory#of}. */
record SimplePluginFactory<T, O extends Record>(
        ExtensionPoint<T> extensionPoint,
        String name,
        List<String> aliases,
        String description,
        Class<O> optionsType,
        Function<O, T> creator) implements PluginFactory<T, O> {

    SimplePluginFactory {
        Objects.requireNonNull(extensionPoint, "extensionPoint");
        Objects.requireNonNull(optionsType, "optionsType");
        Objects.requireNonNull(creator, "creator");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a plugin name must not be blank");
        }
        aliases = List.copyOf(aliases);
        description = description == null ? "" : description;
    }

    @Override
    public T create(O options) {
        return creator.apply(options);
    }
}
