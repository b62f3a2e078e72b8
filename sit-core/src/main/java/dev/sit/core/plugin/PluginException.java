package dev.sit.core.plugin;

/**
 * A plugin problem the user must fix (unknown name, duplicate names, a jar that fails to load);
 * the message says what and how.
 */
public class PluginException extends RuntimeException {

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
