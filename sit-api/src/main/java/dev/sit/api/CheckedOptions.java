package dev.sit.api;

import java.util.List;
import java.util.Map;

/**
 * Options that can tell before a run starts whether they will work in this environment (for
 * example a logger that needs an API key from an environment variable). The host's experiment
 * validation calls {@link #problems} on every bound options record that implements this, and
 * refuses to start while any problem is reported.
 */
public interface CheckedOptions {

    /** Every problem, each a sentence saying what is wrong and how to fix it; empty when fine. */
    List<String> problems(Map<String, String> environment);
}
