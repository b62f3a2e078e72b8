package dev.sit.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.core.config.Overrides;
import dev.sit.core.config.SourceLocation;

/**
 * One override of a sweep variant: a dotted experiment key, its YAML value and where the sweep file
 * wrote the value and the key (so that a value the experiment refuses is reported at the sweep file's
 * line, and an unknown key once, at the key).
 */
public record SweepAssignment(String key, JsonNode value, SourceLocation source, SourceLocation keySource) {

    /** {@code overrides}, then this assignment. */
    public Overrides appendTo(Overrides overrides) {
        return overrides.with(key, value, source, keySource);
    }

    /** The value as a short text for tables and labels: a plugin choice by its name, a scalar as written. */
    public String valueText() {
        if (value.isObject() && value.has("name")) {
            JsonNode options = value.get("options");
            return value.get("name").asText() + (options == null || options.isEmpty() ? "" : options.toString());
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
