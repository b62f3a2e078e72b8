package dev.sit.plugins.loggers.wandb;

import java.util.Map;

/**
 * Where a run stands once UpsertBucket has answered: the storage id, the run id, entity and
 * project as the server returned them, the history and console ({@code output.log}) line offsets to continue at, the lowest
 * {@code _step} still accepted, the runtime to continue from, the summary to overlay new values on,
 * and the config string sent. Saved in the spool so that {@code sit wandb-sync} continues with the
 * same offsets.
 */
public record RunStart(
        String storageId,
        String runId,
        String entity,
        String project,
        String displayName,
        long historyBase,
        long consoleBase,
        long stepFloor,
        double runtimeOffset,
        Map<String, Object> baseSummary,
        String config,
        boolean resumed) {

    /** The run's page: {@code {app}/{entity}/{project}/runs/{runId}}, with {@code api.} hosts turned into the app's. */
    public String url(String baseUrl) {
        String app = baseUrl.replace("://api.wandb.", "://wandb.").replace("://api.", "://app.");
        return app + "/" + entity + "/" + project + "/runs/" + runId;
    }
}
