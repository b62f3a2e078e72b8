package dev.sit.cli;

import dev.sit.plugins.loggers.wandb.Pause;
import dev.sit.plugins.loggers.wandb.WandbSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sit wandb-sync RUN_DIR}: sends to W&B what a run spooled in {@code RUN_DIR/wandb-spool}
 * (offline mode, server unreachable, crash), with the same requests the live logger makes. The
 * API key comes from the environment, as for training.
 */
@Command(name = "wandb-sync", mixinStandardHelpOptions = true,
        description = {"Send a run's spooled Weights & Biases data (RUN_DIR/wandb-spool) to the server.",
            "The API key is read from the variable the run used (api_key_env), else WANDB_API_KEY or WANDB_KEY, else ~/.netrc."})
public final class WandbSyncCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "the run folder, e.g. results/003-quickstart")
    Path runDir;

    @Option(names = "--base-url", paramLabel = "URL", description = "send to this server instead of the one the run used")
    String baseUrl;

    @Option(names = "--spool-dir", paramLabel = "NAME", defaultValue = "wandb-spool",
            description = "the spool folder inside RUN_DIR (default: ${DEFAULT-VALUE})")
    String spoolDir;

    @Option(names = "--force", description = "send sessions again even if they were delivered (lines are overwritten, not duplicated)")
    boolean force;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "8",
            description = "retries per request before giving up; the data stays in the spool (default: ${DEFAULT-VALUE})")
    int retries;

    private final Map<String, String> env;
    private final Pause pause;

    public WandbSyncCommand() {
        this(System.getenv(), Pause.REAL);
    }

    /** For tests: the environment (API key) and the waits between retries. */
    public WandbSyncCommand(Map<String, String> env, Pause pause) {
        this.env = env;
        this.pause = pause;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(runDir)) {
            System.err.println("wandb-sync: " + runDir + " is not a folder; give the run folder, e.g. results/003-quickstart");
            return 2;
        }
        WandbSync.Result result = new WandbSync(env, pause, retries, System.out::println).sync(runDir, spoolDir, baseUrl, force);
        for (String problem : result.problems()) {
            System.err.println("wandb-sync: " + problem);
        }
        if (result.ok()) {
            System.out.println("wandb-sync: " + result.deliveredNow() + " session(s) delivered, "
                    + result.alreadyDelivered() + " already delivered");
        }
        return result.ok() ? 0 : 1;
    }
}
