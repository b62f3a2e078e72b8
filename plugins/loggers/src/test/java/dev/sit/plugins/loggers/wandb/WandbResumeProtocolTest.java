package dev.sit.plugins.loggers.wandb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sit.plugins.loggers.ExtendedJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol document §9.2 and §10 item 10: resuming a run continues its offsets, steps, runtime, config and tags. */
class WandbResumeProtocolTest {

    /** The answer of §10 item 10, as a real server returns it (JSON strings inside JSON). */
    static final String EXISTING = "{\"id\":\"storage-old\",\"name\":\"47684033\","
            + "\"summaryMetrics\":\"{\\\"_wandb\\\":{\\\"runtime\\\":31},\\\"loss\\\":0.5}\","
            + "\"displayName\":\"000-test\",\"logLineCount\":10,\"historyLineCount\":3,\"eventsLineCount\":5,"
            + "\"historyTail\":\"[\\\"{\\\\\\\"_step\\\\\\\":2,\\\\\\\"_runtime\\\\\\\":30.5}\\\"]\","
            + "\"eventsTail\":\"[]\","
            + "\"config\":\"{\\\"old_key\\\":{\\\"value\\\":7},\\\"lr\\\":{\\\"value\\\":0.5},\\\"_wandb\\\":{\\\"value\\\":{\\\"t\\\":{\\\"1\\\":2},\\\"viz\\\":{}}}}\","
            + "\"tags\":[\"baseline\"],\"notes\":\"old notes\","
            + "\"wandbConfig\":\"{\\\"t\\\":{}}\"}";

    @TempDir
    Path runDir;

    @Test
    void resumeContinuesOffsetsStepsRuntimeConfigAndTags() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.resumeBucket = EXISTING;
            server.upsertHistoryLineCount = 3;
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "resume: must"));
            logger.start(TestRun.context(runDir, 3, true));
            logger.logScalars(3, Map.of("loss", 0.4));
            logger.logMessage("line one\nline two");
            logger.logScalars(4, Map.of("loss", 0.3));
            logger.finish(0);

            assertThat(server.sequence()).containsExactly(
                    "graphql:RunResumeStatus", "graphql:UpsertBucket", "file_stream", "file_stream");
            JsonNode status = server.requests().get(0).json().path("variables");
            assertThat(status.path("project").asText()).isEqualTo("proj-requested");
            assertThat(status.path("entity").asText()).isEqualTo("ent-requested");
            assertThat(status.path("name").asText()).isEqualTo("47684033");

            JsonNode upsert = server.requests().get(1).json().path("variables");
            assertThat(upsert.path("id").asText()).isEqualTo("storage-old");
            assertThat(upsert.path("tags")).extracting(JsonNode::asText).containsExactly("baseline");
            assertThat(upsert.path("notes").asText()).isEqualTo("old notes");
            JsonNode config = ExtendedJson.MAPPER.readTree(upsert.path("config").asText());
            assertThat(config.path("old_key").path("value").asInt()).as("old keys kept").isEqualTo(7);
            assertThat(config.path("lr").path("value").asDouble()).as("new values win").isEqualTo(0.001);
            assertThat(config.path("_wandb").path("value").has("viz")).isTrue();
            assertThat(config.path("_wandb").path("value").path("t").size()).isPositive();

            JsonNode post = server.requests().get(2).json();
            JsonNode history = post.path("files").path("wandb-history.jsonl");
            assertThat(history.path("offset").asLong()).isEqualTo(3);
            JsonNode firstRow = ExtendedJson.MAPPER.readTree(history.path("content").get(0).asText());
            assertThat(firstRow.path("_step").asLong()).isEqualTo(3);
            assertThat(firstRow.path("_runtime").asDouble()).isGreaterThanOrEqualTo(31);
            JsonNode summary = ExtendedJson.MAPPER.readTree(post.path("files").path("wandb-summary.json").path("content").get(0).asText());
            assertThat(summary.path("loss").asDouble()).isEqualTo(0.3);
            assertThat(summary.path("_step").asLong()).isEqualTo(4);
            assertThat(summary.path("_wandb").path("runtime").asLong()).isGreaterThanOrEqualTo(31);

            // console lines continue after the run's logLineCount (10)
            JsonNode console = post.path("files").path("output.log");
            assertThat(console.path("offset").asLong()).isEqualTo(10);
            assertThat(console.path("content")).hasSize(2);
            assertThat(console.path("content").get(1).asText()).endsWith(" line two");

            // the rebuilt history continues the server's three lines without a gap
            assertThat(server.files.get("wandb-history.jsonl").keySet()).containsExactly(3L, 4L);
            JsonNode done = server.requests().get(3).json();
            assertThat(done.path("complete").asBoolean()).isTrue();
        }
    }

    @Test
    void stepsTheResumedRunAlreadyHasAreLeftOutNotSentOutOfOrder() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.resumeBucket = EXISTING;
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            logger.start(TestRun.context(runDir, 2, true));
            logger.logScalars(2, Map.of("loss", 0.45)); // the run already has step 2
            logger.logScalars(3, Map.of("loss", 0.4));
            logger.finish(0);
            List<JsonNode> lines = server.history();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).path("_step").asLong()).isEqualTo(3);
            assertThat(server.files.get("wandb-history.jsonl").firstKey()).isEqualTo(3L);
            assertThat(t.messages).anyMatch(m -> m.contains("step 2 is below the resumed run's next step 3"));
        }
    }

    @Test
    void mustWithoutTheRunFailsBeforeAnyUpsert() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "resume: must"));
            assertThatThrownBy(() -> logger.start(TestRun.context(runDir)))
                    .hasMessageContaining("resume: must")
                    .hasMessageContaining("has not been initialized");
            assertThat(server.sequence()).containsExactly("graphql:RunResumeStatus");
            assertThat(Files.exists(runDir.resolve("wandb-spool"))).isTrue();
            assertThat(RunSpool.sessions(runDir.resolve("wandb-spool"))).as("no session left for sync").isEmpty();
        }
    }

    @Test
    void aBucketWithoutTelemetryIsNotAStartedRun() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.resumeBucket = "{\"id\":\"pre\",\"name\":\"47684033\",\"historyLineCount\":0,\"wandbConfig\":\"{}\"}";
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "resume: must"));
            assertThatThrownBy(() -> logger.start(TestRun.context(runDir))).hasMessageContaining("resume: must");
        }
    }

    @Test
    void neverWithAnExistingRunFails() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.resumeBucket = EXISTING;
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "resume: never"));
            assertThatThrownBy(() -> logger.start(TestRun.context(runDir)))
                    .hasMessageContaining("resume: never")
                    .hasMessageContaining("already exists");
            assertThat(server.sequence()).containsExactly("graphql:RunResumeStatus");
        }
    }

    @Test
    void allowWithoutTheRunCreatesANewOne() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "resume: allow"));
            logger.start(TestRun.context(runDir));
            logger.logScalars(0, Map.of("loss", 1.0));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            logger.finish(0);
            JsonNode upsert = server.route("graphql:UpsertBucket").get(0).json().path("variables");
            assertThat(upsert.path("id").isNull()).isTrue();
            assertThat(server.files.get("wandb-history.jsonl").firstKey()).isZero();
        }
    }
}
