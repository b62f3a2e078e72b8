package dev.sit.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Makes one kind of plugin object from its options. The {@link #name()} is the word used in
 * experiment files (matched case-insensitively); the options are a record that the host binds
 * from the plugin's YAML block (snake_case keys, unknown keys rejected, {@link Range} checked).
 *
 * @param <T> the extension point's type (for example {@link dev.sit.api.transport.Interpolant})
 * @param <O> the options record; {@link NoOptions} when there are none
 */
public interface PluginFactory<T, O extends Record> {

    ExtensionPoint<T> extensionPoint();

    /** The unique name within the extension point, as written in YAML. */
    String name();

    /** Other accepted names, for example the reference's misspellings. */
    default List<String> aliases() {
        return List.of();
    }

    /** One line saying what the plugin does. */
    String description();

    /** The record type the options block binds to. */
    Class<O> optionsType();

    /** Makes the plugin object from bound, range-checked options. */
    T create(O options);

    /**
     * Makes the plugin object for a run: the host always calls this one. Override it when the
     * plugin needs the seed, the run folder or the environment; by default {@link #create(Record)}.
     */
    default T create(O options, PluginContext context) {
        return create(options);
    }

    /**
     * The one validation hook: problems with these options that the host reports at validation,
     * before any heavy work (for example a missing API key in the environment); each a message
     * saying how to fix it. By default: the problems of options that implement
     * {@link CheckedOptions}, in the context's environment.
     */
    default List<String> check(O options, PluginContext context) {
        return options instanceof CheckedOptions checked ? checked.problems(context.environment()) : List.of();
    }

    /** A factory from its parts, for the common case of a constructor reference. */
    static <T, O extends Record> PluginFactory<T, O> of(
            ExtensionPoint<T> point, String name, String description, Class<O> optionsType, Function<O, T> create) {
        return new SimplePluginFactory<>(point, name, List.of(), description, optionsType, create);
    }

    /** A factory for a plugin without options. */
    static <T> PluginFactory<T, NoOptions> of(
            ExtensionPoint<T> point, String name, String description, java.util.function.Supplier<T> create) {
        Objects.requireNonNull(create, "create");
        return of(point, name, description, NoOptions.class, options -> create.get());
    }

    /** The same factory, also answering to the given names. */
    default PluginFactory<T, O> withAliases(String... aliases) {
        return new AliasedPluginFactory<>(this, List.of(aliases));
    }
}
