package dev.sit.plugins.loggers.wandb;

import java.util.List;
import java.util.Map;

/**
 * The first file of a spooled session ({@code run.json}): which run the data belongs to and the
 * settings to reach it again, without the API key (only the name of the variable that held it).
 */
public record SpoolHeader(
        int format,
        String experimentName,
        String runId,
        String displayName,
        String entity,
        String project,
        String resume,
        String baseUrl,
        String apiKeyEnv,
        List<String> tags,
        String notes,
        String group,
        String jobType,
        double startTime,
        Map<String, Object> config) {
}
