package dev.sit.plugins.loggers.wandb;

import dev.sit.core.config.Problems;
import dev.sit.core.config.RecordBinder;
import dev.sit.core.config.YamlDocument;

/** Binds wandb options from YAML the way the host does (snake_case keys), for tests. */
final class Options {

    private Options() {
    }

    static WandbOptions yaml(String yaml) {
        YamlDocument doc = YamlDocument.parse("test.yaml", yaml.isBlank() ? "{}" : yaml);
        Problems problems = new Problems(doc);
        WandbOptions options = new RecordBinder(problems).bind(doc.root(), WandbOptions.class, "");
        problems.throwIfAny();
        return options;
    }

    /** Fast timings for tests against a server at {@code baseUrl}; extra "key: value" lines override them. */
    static WandbOptions fast(String baseUrl, String... extra) {
        java.util.Map<String, String> lines = new java.util.LinkedHashMap<>();
        for (String line : new String[] {"base_url: " + baseUrl, "entity: ent-requested", "project: proj-requested",
                "transmit_interval_seconds: 3600", "heartbeat_seconds: 3600", "init_timeout_seconds: 10",
                "finish_timeout_seconds: 10", "retry_min_seconds: 0.01", "retry_max_seconds: 0.05"}) {
            lines.put(line.substring(0, line.indexOf(':')), line);
        }
        for (String line : extra) {
            lines.put(line.substring(0, line.indexOf(':')), line);
        }
        return yaml(String.join("\n", lines.values()));
    }
}
