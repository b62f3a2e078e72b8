package dev.sit.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.core.config.SourceLocation;

/**
 * One override of a sweep variant: a dotted experiment key, its YAML value and where the sweep file
 * wrote it (so that a value the experiment refuses is reported at the sweep file's line).
 */
public record SweepAssignment(String key, JsonNode value, SourceLocation source) {

    /** The value as a short text for tables and labels: a plugin choice by its name, a scalar as written. */
    public String valueText() {
        if (value.isObject() && value.has("name")) {
            JsonNode options = value.get("options");
            return value.get("name").asText() + (options == null || options.isEmpty() ? "" : options.toString());
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
