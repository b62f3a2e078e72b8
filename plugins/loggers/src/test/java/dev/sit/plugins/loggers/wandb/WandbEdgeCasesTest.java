package dev.sit.plugins.loggers.wandb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol document §10 items 2, 8 and 12: timing, heartbeats, URLs, odd answers, non-finite values. */
class WandbEdgeCasesTest {

    @TempDir
    Path runDir;

    @Test
    void batchesOnTheIntervalWithContiguousOffsetsAndCompleteLast() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "transmit_interval_seconds: 0.05"));
            logger.start(TestRun.context(runDir));
            for (int step = 0; step < 6; step++) {
                logger.logScalars(step * 10L, Map.of("loss", 1.0 / (step + 1)));
                Thread.sleep(40);
            }
            logger.finish(0);
            List<FakeWandbServer.Seen> posts = server.route("file_stream");
            assertThat(posts.size()).as("several batches").isGreaterThan(2);
            long next = 0;
            for (FakeWandbServer.Seen post : posts) {
                JsonNode h = post.json().path("files").path("wandb-history.jsonl");
                if (!h.isMissingNode()) {
                    assertThat(h.path("offset").asLong()).as("contiguous offsets").isEqualTo(next);
                    next += h.path("content").size();
                }
            }
            assertThat(next).isEqualTo(6);
            assertThat(server.history()).extracting(r -> r.path("_step").asLong()).containsExactly(0L, 10L, 20L, 30L, 40L, 50L);
            assertThat(posts.get(posts.size() - 1).json().path("complete").asBoolean()).isTrue();
            assertThat(server.sequence().get(server.sequence().size() - 1)).isEqualTo("file_stream");
        }
    }

    @Test
    void sendsAHeartbeatWhenIdle() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl(), "heartbeat_seconds: 0.05"));
            logger.start(TestRun.context(runDir));
            Thread.sleep(400);
            logger.finish(0);
            List<FakeWandbServer.Seen> posts = server.route("file_stream");
            assertThat(posts.get(0).text()).isEqualTo("{}");
            assertThat(posts.get(posts.size() - 1).json().path("complete").asBoolean()).isTrue();
        }
    }

    @Test
    void aBasePathIsKeptAndRelativeUploadUrlsAreResolvedAgainstIt() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer("/prefix/")) {
            server.uploadUrl = path -> "/storage/" + path;
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            logger.start(TestRun.context(runDir));
            logger.logImage(0, TestRun.image("samples", 4, 4));
            logger.finish(0);
            for (FakeWandbServer.Seen r : server.requests()) {
                assertThat(r.path()).startsWith("/prefix/");
            }
            assertThat(server.route("put").get(0).path()).startsWith("/prefix/storage/media/images/samples_0_");
            assertThat(server.route("graphql:UpsertBucket").get(0).path()).isEqualTo("/prefix/graphql");
        }
    }

    @Test
    void noUploadUrlMeansNoPut() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.uploadUrl = path -> null;
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            logger.start(TestRun.context(runDir));
            logger.logImage(0, TestRun.image("samples", 4, 4));
            logger.finish(0);
            assertThat(server.route("put")).isEmpty();
            assertThat(server.route("file_stream")).noneMatch(r -> r.json().has("uploaded"));
        }
    }

    @Test
    void namesArePathEscapedAndExtraHeadersGoEverywhere() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.returnedEntity = "team a";
            server.returnedProject = "p?x";
            Map<String, String> env = new HashMap<>(TestRun.ENV);
            env.put("WANDB__EXTRA_HTTP_HEADERS", "{\"X-Team\":\"blue\"}");
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()), env);
            logger.start(TestRun.context(runDir));
            logger.logImage(0, TestRun.image("samples", 4, 4));
            logger.finish(0);
            assertThat(server.route("file_stream").get(0).path()).isEqualTo("/files/team%20a/p%3Fx/47684033/file_stream");
            for (FakeWandbServer.Seen r : server.requests()) {
                assertThat(r.headers().get("X-Team")).as(r.route()).isEqualTo("blue");
            }
        }
    }

    @Test
    void nonFiniteValuesAreBareTokensNeverStrings() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            logger.start(TestRun.context(runDir));
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("loss", Double.NaN);
            values.put("grad", Double.POSITIVE_INFINITY);
            logger.logScalars(0, values);
            logger.finish(0);
            String line = server.files.get("wandb-history.jsonl").get(0L);
            assertThat(line).contains("\"loss\":NaN").contains("\"grad\":Infinity").doesNotContain("\"NaN\"");
            assertThat(server.history().get(0).path("loss").asDouble()).isNaN();
        }
    }

    @Test
    void oddFileStreamAnswersDoNotBreakTheClientAndStoppedIsReported() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            server.fileStreamAnswer = "<html>not json</html>";
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            logger.start(TestRun.context(runDir));
            logger.logScalars(0, Map.of("loss", 1.0));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            server.fileStreamAnswer = "";
            logger.logScalars(1, Map.of("loss", 0.9));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            server.fileStreamAnswer = "{\"stopped\":true}";
            logger.logScalars(2, Map.of("loss", 0.8));
            logger.finish(0);
            assertThat(server.history()).hasSize(3);
            assertThat(t.messages).anyMatch(m -> m.contains("stopped from the W&B app"));
        }
    }

    @Test
    void anImageLoggedAfterItsStepWasSentRewritesThatLine() throws Exception {
        TestRun t = new TestRun();
        try (FakeWandbServer server = new FakeWandbServer()) {
            WandbLogger logger = t.logger(Options.fast(server.baseUrl()));
            logger.start(TestRun.context(runDir));
            logger.logScalars(0, Map.of("loss", 1.0));
            logger.logScalars(1, Map.of("loss", 0.9));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            logger.logImage(1, TestRun.image("samples", 4, 4));
            logger.logScalars(2, Map.of("loss", 0.8));
            logger.finish(0);
            JsonNode second = server.route("file_stream").get(1).json().path("files").path("wandb-history.jsonl");
            assertThat(second.path("offset").asLong()).isEqualTo(1);
            assertThat(second.path("content")).hasSize(2);
            List<JsonNode> history = server.history();
            assertThat(history).hasSize(3);
            assertThat(history.get(1).path("loss").asDouble()).isEqualTo(0.9);
            assertThat(history.get(1).path("samples").path("_type").asText()).isEqualTo("image-file");
        }
    }
}
