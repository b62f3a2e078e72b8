package dev.sit.api.logging;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a logger may know of the run: the experiment's name, the run folder, the resolved
 * experiment as plain maps and lists (secrets already redacted), and the step it starts at.
 */
public record RunContext(String experimentName, Path runDir, Map<String, Object> config, long startStep, boolean resumed) {
}
