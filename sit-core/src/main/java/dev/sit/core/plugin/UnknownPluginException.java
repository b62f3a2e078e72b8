package dev.sit.core.plugin;

import dev.sit.api.ExtensionPoint;
import java.util.List;
import java.util.Optional;

/** A name that no plugin of the extension point answers to; the message lists the available names. */
public final class UnknownPluginException extends PluginException {

    private final ExtensionPoint<?> point;
    private final String name;
    private final List<String> available;
    private final Optional<String> suggestion;

    public UnknownPluginException(ExtensionPoint<?> point, String name, List<String> available, Optional<String> suggestion) {
        super(message(point, name, available, suggestion));
        this.point = point;
        this.name = name;
        this.available = List.copyOf(available);
        this.suggestion = suggestion;
    }

    private static String message(ExtensionPoint<?> point, String name, List<String> available, Optional<String> suggestion) {
        StringBuilder sb = new StringBuilder();
        sb.append("unknown ").append(point.id()).append(" '").append(name).append("'");
        suggestion.ifPresent(s -> sb.append(" (did you mean ").append(s).append("?)"));
        sb.append("; available: ").append(available.isEmpty() ? "none installed" : String.join(", ", available));
        return sb.toString();
    }

    public ExtensionPoint<?> point() {
        return point;
    }

    public String name() {
        return name;
    }

    public List<String> available() {
        return available;
    }

    public Optional<String> suggestion() {
        return suggestion;
    }
}
