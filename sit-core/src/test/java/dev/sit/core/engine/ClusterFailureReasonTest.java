package dev.sit.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The reason a failed cluster training gives the user: the cluster's own line and the task's error
 * it quotes (every line of it, without its class name or stack trace), as Spark words a failed
 * barrier stage.
 */
class ClusterFailureReasonTest {

    @Test
    void theTasksErrorIsQuotedWithoutClassNameOrStackTrace() {
        RuntimeException spark = new RuntimeException("Job aborted due to stage failure: Could not recover from a failed "
                + "barrier ResultStage. Most recent failure reason: Stage failed because barrier task ResultTask(0, 1) "
                + "finished unsuccessfully.\ndev.sit.core.config.ConfigException: 1 problem in the experiment:\n"
                + "  sit-run.yaml:80:1: plugins: plugin path entry /x does not exist\n"
                + "\tat dev.sit.core.config.ExperimentLoader.load(ExperimentLoader.java:120)\n");
        String reason = TrainStage.rootMessage(new IllegalStateException("wrapper", new ExecutionException(spark)));
        assertThat(reason).isEqualTo("Job aborted due to stage failure: Could not recover from a failed barrier "
                + "ResultStage. Most recent failure reason: Stage failed because barrier task ResultTask(0, 1) finished "
                + "unsuccessfully. 1 problem in the experiment: sit-run.yaml:80:1: plugins: plugin path entry /x does not exist");
    }

    @Test
    void aOneLineReasonStaysAsItIs() {
        assertThat(TrainStage.rootMessage(new IllegalStateException("executor 3 lost."))).isEqualTo("executor 3 lost");
    }
}
