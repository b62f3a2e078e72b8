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

    /** Fast timings for tests against a server at {@code baseUrl}, plus extra YAML lines. */
    static WandbOptions fast(String baseUrl, String... extra) {
        return yaml("base_url: " + baseUrl + "\n"
                + "entity: ent-requested\nproject: proj-requested\n"
                + "transmit_interval_seconds: 3600\nheartbeat_seconds: 3600\n"
                + "init_timeout_seconds: 10\nfinish_timeout_seconds: 10\n"
                + "retry_min_seconds: 0.01\nretry_max_seconds: 0.05\n"
                + String.join("\n", extra));
    }
}
