package dev.sit.plugins.loggers.wandb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run config as W&B stores it: {@code {"<key>": {"value": v}, ..., "_wandb": {"value": {"t": {...}}}}},
 * sent as a JSON string. {@code _wandb.value.t} must be a non-empty object, or the SDK's resume
 * check would treat the run as never started.
 */
final class RunConfig {

    private RunConfig() {
    }

    /**
     * The serialized config of {@code experiment}, merged over {@code old} (a resumed run's config,
     * already in W&B form; null for a new run): old keys the new config lacks are kept, and the old
     * {@code _wandb.value} entries stay under the new ones. Any string equal to the API key is
     * replaced, so a key pasted into the experiment never reaches the server.
     */
    @SuppressWarnings("unchecked")
    static String serialize(Map<String, Object> experiment, Map<String, Object> old, String apiKey) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : experiment.entrySet()) {
            if (!e.getKey().equals("_wandb")) {
                out.put(e.getKey(), Map.of("value", scrub(e.getValue(), apiKey)));
            }
        }
        Map<String, Object> wandb = new LinkedHashMap<>();
        if (old != null) {
            for (Map.Entry<String, Object> e : old.entrySet()) {
                if (!out.containsKey(e.getKey()) && !e.getKey().equals("_wandb")) {
                    out.put(e.getKey(), e.getValue());
                }
            }
            if (old.get("_wandb") instanceof Map<?, ?> oldWandb && oldWandb.get("value") instanceof Map<?, ?> oldValue) {
                wandb.putAll((Map<String, Object>) oldValue);
            }
        }
        wandb.put("t", Map.of("13", "java"));
        wandb.put("cli_version", "sit");
        wandb.put("java_version", System.getProperty("java.version"));
        out.put("_wandb", Map.of("value", wandb));
        return WandbHttp.write(out);
    }

    static Object scrub(Object value, String secret) {
        if (secret == null || secret.isEmpty()) {
            return value;
        }
        if (value instanceof String s) {
            return s.contains(secret) ? s.replace(secret, "<redacted>") : s;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), scrub(v, secret)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(scrub(v, secret)));
            return copy;
        }
        return value;
    }
}
