package dev.sit.plugins.loggers.wandb;

import dev.sit.api.Doc;
import dev.sit.api.Range;
import dev.sit.api.CheckedOptions;
import java.util.List;
import java.util.Map;

/**
 * Options of the {@code wandb} logger. Unset text options fall back to the environment
 * ({@code WANDB_ENTITY} or {@code ENTITY}, {@code WANDB_PROJECT} or {@code PROJECT},
 * {@code WANDB_MODE}, {@code WANDB_RESUME}, {@code WANDB_RUN_ID}, {@code WANDB_BASE_URL},
 * {@code WANDB_NAME}, {@code WANDB_TAGS}, {@code WANDB_NOTES}, {@code WANDB_RUN_GROUP},
 * {@code WANDB_JOB_TYPE}). The API key is never an option: it is read from the environment
 * variable named by {@code api_key_env}, else {@code WANDB_API_KEY}, else {@code WANDB_KEY},
 * else {@code ~/.netrc}.
 */
public record WandbOptions(
        @Doc("W&B entity (user or team); default: WANDB_ENTITY, ENTITY, else the key's default entity")
        String entity,
        @Doc("W&B project; default: WANDB_PROJECT, PROJECT, else uncategorized")
        String project,
        @Doc("display name of the run; default: WANDB_NAME, else the experiment name")
        String name,
        @Doc("run id; default: WANDB_RUN_ID, else derived from the experiment name as the reference does")
        String runId,
        @Doc("online | offline (spool only, send later with sit wandb-sync) | disabled; default: WANDB_MODE, else online")
        String mode,
        @Doc("allow | must | never: whether an existing run with this id is continued; default: WANDB_RESUME, else allow")
        String resume,
        @Doc("server URL, e.g. http://host:8080 for a self-hosted server; default: WANDB_BASE_URL, else https://api.wandb.ai")
        String baseUrl,
        @Doc("name of the environment variable holding the API key (the key itself never goes in a file)")
        String apiKeyEnv,
        @Doc("run tags; default: WANDB_TAGS (comma-separated)")
        List<String> tags,
        @Doc("run notes; default: WANDB_NOTES")
        String notes,
        @Doc("run group; default: WANDB_RUN_GROUP")
        String group,
        @Doc("job type; default: WANDB_JOB_TYPE")
        String jobType,
        @Doc("send history at most this often (seconds)")
        @Range(min = 0)
        Double transmitIntervalSeconds,
        @Doc("send a heartbeat after this many idle seconds")
        @Range(min = 0, minExclusive = true)
        Double heartbeatSeconds,
        @Doc("how long start waits for the run to be created before training goes on (data is kept meanwhile)")
        @Range(min = 0)
        Double initTimeoutSeconds,
        @Doc("how long finish waits for the last data to be sent before leaving it to sit wandb-sync")
        @Range(min = 0)
        Double finishTimeoutSeconds,
        @Doc("first retry wait (seconds), doubled per attempt with jitter, unless the server says Retry-After")
        @Range(min = 0)
        Double retryMinSeconds,
        @Doc("longest retry wait (seconds)")
        @Range(min = 0)
        Double retryMaxSeconds,
        @Doc("events waiting for the sender; beyond this, data goes to the spool only and needs sit wandb-sync")
        @Range(min = 1)
        Integer queueSize,
        @Doc("spool folder for everything logged, relative to the run folder")
        String spoolDir) implements CheckedOptions {

    public WandbOptions {
        tags = tags == null ? null : List.copyOf(tags);
        transmitIntervalSeconds = transmitIntervalSeconds == null ? 5.0 : transmitIntervalSeconds;
        heartbeatSeconds = heartbeatSeconds == null ? 30.0 : heartbeatSeconds;
        initTimeoutSeconds = initTimeoutSeconds == null ? 30.0 : initTimeoutSeconds;
        finishTimeoutSeconds = finishTimeoutSeconds == null ? 120.0 : finishTimeoutSeconds;
        retryMinSeconds = retryMinSeconds == null ? 2.0 : retryMinSeconds;
        retryMaxSeconds = retryMaxSeconds == null ? 60.0 : retryMaxSeconds;
        queueSize = queueSize == null ? 10_000 : queueSize;
        spoolDir = spoolDir == null ? "wandb-spool" : spoolDir;
    }

    /** The settings' problems in this environment: see {@link WandbSettings#validate}. */
    @Override
    public List<String> problems(Map<String, String> environment) {
        return WandbSettings.validate(this, environment);
    }

    /** Every option unset: everything from the environment and the defaults. */
    public static WandbOptions defaults() {
        return new WandbOptions(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }
}
