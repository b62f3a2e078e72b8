package dev.sit.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A plugin named in an experiment: {@code path: GVP} or
 * {@code path: {name: VP, options: {sigma_min: 0.1}}}. The options stay a tree until the plugin's
 * options record is known; {@code path} is where the choice sits in the document (for messages).
 */
public record PluginChoice(String name, JsonNode options, String path) {

    public PluginChoice {
        options = options == null ? JsonNodeFactory.instance.objectNode() : options;
    }

    /** A choice by name alone, with default options. */
    public static PluginChoice named(String name) {
        return new PluginChoice(name, null, "");
    }
}
